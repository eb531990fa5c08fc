package io.retryspool.sample;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(DeliveryConfiguration.class);

    @Test
    void ratesDefaultToAReliableEndpoint() {
        runner.run(context -> assertThat(context.getBean(DeliveryProperties.class))
                .isEqualTo(new DeliveryProperties(0, 0)));
    }

    @Test
    void failureRateAboveOneStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("sample.delivery.failure-rate=1.5")
                .run(context -> assertThat(context).getFailure()
                        .rootCause().hasMessageContaining("sample.delivery.failure-rate must be between 0 and 1"));
    }

    @Test
    void ratesAddingUpToMoreThanOneStopStartUp() {
        runner.withPropertyValues("sample.delivery.failure-rate=0.7", "sample.delivery.permanent-failure-rate=0.4")
                .run(context -> assertThat(context).getFailure()
                        .rootCause().hasMessageContaining("must not exceed 1"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DeliveryProperties.class)
    static class DeliveryConfiguration {
    }
}
