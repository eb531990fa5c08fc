package io.retryspool.observation;

import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;

/**
 * Names the {@code retryspool.delivery} observation and its key values. Implement it (or extend
 * {@link DefaultDeliveryObservationConvention}) and register it on the {@code ObservationRegistry}
 * ({@code registry.observationConfig().observationConvention(...)}, or a bean in Spring Boot) to replace the
 * default.
 */
public interface DeliveryObservationConvention extends GlobalObservationConvention<DeliveryContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof DeliveryContext;
    }
}
