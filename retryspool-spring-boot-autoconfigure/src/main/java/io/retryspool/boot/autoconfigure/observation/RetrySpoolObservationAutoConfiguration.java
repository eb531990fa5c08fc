package io.retryspool.boot.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.RetrySpoolCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Hands the application's {@link ObservationRegistry} to the auto-configured spool, when there is one (Boot's
 * observation auto-configuration makes it): enqueues and handler runs become the observations
 * {@code retryspool.enqueue} and {@code retryspool.delivery}, and with Boot's tracing auto-configuration the
 * trace of an enqueue continues at each delivery attempt. Without a registry the spool is not observed. The
 * customizer runs first, so that an application's own {@link RetrySpoolCustomizer} may set another registry.
 */
@AutoConfiguration(before = RetrySpoolAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({RetrySpool.class, ObservationRegistry.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "retryspool.enabled", matchIfMissing = true)
public final class RetrySpoolObservationAutoConfiguration {

    @Bean
    @Order(0)
    RetrySpoolCustomizer retrySpoolObservationCustomizer(ObservationRegistry observationRegistry) {
        return builder -> builder.observationRegistry(observationRegistry);
    }
}
