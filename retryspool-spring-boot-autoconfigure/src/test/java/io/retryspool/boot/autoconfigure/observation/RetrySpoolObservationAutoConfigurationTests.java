package io.retryspool.boot.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.RetrySpoolCustomizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The auto-configured spool is observed by the application's {@link ObservationRegistry}, and works without one. */
class RetrySpoolObservationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolObservationAutoConfiguration.class,
                    RetrySpoolAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.auto-start=false");

    @Test
    void theApplicationsRegistryObservesTheSpoolsEnqueues() {
        runner.withUserConfiguration(RecordingRegistry.class).run(context -> {
            context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1});

            assertThat(context.getBean(RecordingRegistry.class).stopped).containsExactly("retryspool.enqueue");
        });
    }

    @Test
    void withoutARegistryTheSpoolIsNotObservedAndWorks() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(RetrySpoolCustomizer.class);
            assertThat(context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1})).isNotBlank();
        });
    }

    @Test
    void aDisabledSpoolLeavesTheRegistryAlone() {
        runner.withUserConfiguration(RecordingRegistry.class).withPropertyValues("retryspool.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RetrySpoolCustomizer.class)
                        .doesNotHaveBean(RetrySpool.class));
    }

    /** An observation registry that records the names of the observations stopped. */
    @Configuration(proxyBeanMethods = false)
    static class RecordingRegistry {

        final List<String> stopped = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }

                @Override
                public void onStop(Observation.Context context) {
                    stopped.add(context.getName());
                }
            });
            return registry;
        }
    }
}
