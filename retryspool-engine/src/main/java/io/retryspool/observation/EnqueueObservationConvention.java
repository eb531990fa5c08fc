package io.retryspool.observation;

import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;

/**
 * Names the {@code retryspool.enqueue} observation and its key values. Implement it (or extend
 * {@link DefaultEnqueueObservationConvention}) and register it on the {@code ObservationRegistry}
 * ({@code registry.observationConfig().observationConvention(...)}, or a bean in Spring Boot) to replace the
 * default.
 */
public interface EnqueueObservationConvention extends GlobalObservationConvention<EnqueueContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof EnqueueContext;
    }
}
