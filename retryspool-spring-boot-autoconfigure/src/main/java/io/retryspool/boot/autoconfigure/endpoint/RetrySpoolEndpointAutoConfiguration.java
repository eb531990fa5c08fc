package io.retryspool.boot.autoconfigure.endpoint;

import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link RetrySpoolEndpoint} ({@code retryspool}) when Actuator is present, there is a
 * {@link RetrySpool} bean, and the endpoint is available (enabled and exposed, e.g.
 * {@code management.endpoints.web.exposure.include=retryspool}). The endpoint is read-only by default, and header values
 * are masked unless {@code management.endpoint.retryspool.show-values} allows them
 * ({@link RetrySpoolEndpointProperties}).
 */
@AutoConfiguration(after = RetrySpoolAutoConfiguration.class)
@ConditionalOnClass({RetrySpool.class, Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(RetrySpool.class)
@ConditionalOnBooleanProperty(name = "retryspool.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(RetrySpoolEndpoint.class)
@EnableConfigurationProperties(RetrySpoolEndpointProperties.class)
public final class RetrySpoolEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RetrySpoolEndpoint retrySpoolEndpoint(RetrySpool retrySpool, RetrySpoolEndpointProperties properties) {
        return new RetrySpoolEndpoint(retrySpool, properties.getShowValues(), properties.getRoles());
    }
}
