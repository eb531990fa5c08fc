package io.retryspool.boot.autoconfigure.health;

import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.testing.SpoolProxies;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.InstanceOfAssertFactories.map;

class RetrySpoolHealthAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class,
                    RetrySpoolHealthAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory");

    @Test
    void healthIsUpWithCountsRunningAndOldestDueAgeWhenTheWorkersRun() {
        runner.run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            spool.enqueue(EnqueueRequest.builder().body(new byte[0]).notBefore(Instant.now().plus(Duration.ofHours(1)))
                    .build());

            Health health = context.getBean(RetrySpoolHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("running", true).containsEntry("oldestDueAgeSeconds", 0L);
            assertThat(health.getDetails().get("counts")).asInstanceOf(map(String.class, Long.class))
                    .containsExactly(entry("INCOMING", 1L), entry("ACTIVE", 0L), entry("DEFERRED", 0L),
                            entry("HOLD", 0L), entry("BOUNCE", 0L), entry("ARCHIVED", 0L));
        });
    }

    @Test
    void healthIsDownWithAReasonWhenTheWorkersStoppedWhileAutoStartIsOn() {
        runner.run(context -> {
            context.getBean(RetrySpool.class).stop(Duration.ZERO);

            Health health = context.getBean(RetrySpoolHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("running", false).containsKey("counts");
            assertThat((String) health.getDetails().get("reason")).contains("workers are not running");
        });
    }

    @Test
    void healthIsUpWhileTheWorkersAreNotRunningWhenAutoStartIsOff() {
        runner.withPropertyValues("retryspool.auto-start=false").run(context -> {
            Health health = context.getBean(RetrySpoolHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("running", false).doesNotContainKey("reason");
        });
    }

    @Test
    void healthIsDownWithTheErrorWhenTheStoreCannotBeRead() {
        runner.withPropertyValues("retryspool.auto-start=false")
                .withUserConfiguration(FailingStoreConfiguration.class).run(context -> {
                    Health health = context.getBean(RetrySpoolHealthIndicator.class).health();

                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails())
                            .containsEntry("error", StorageException.class.getName() + ": database is down")
                            .containsEntry("reason", "the store cannot be read")
                            .containsEntry("running", false);
                });
    }

    @Test
    void indicatorIsContributedUnderTheNameRetryspool() {
        runner.run(context -> {
            assertThat(context).hasBean("retryspoolHealthIndicator");
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("retryspool"))
                    .isSameAs(context.getBean(RetrySpoolHealthIndicator.class));
        });
    }

    @Test
    void autoConfigurationBacksOffWhenTheUserDefinesTheIndicator() {
        runner.withUserConfiguration(UserIndicatorConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(RetrySpoolHealthIndicator.class);
            assertThat(context).hasBean("myRetrySpoolHealth");
            assertThat(context).doesNotHaveBean("retryspoolHealthIndicator");
        });
    }

    @Test
    void disablingTheRetryspoolHealthIndicatorRemovesIt() {
        runner.withPropertyValues("management.health.retryspool.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolHealthIndicator.class);
        });
    }

    @Test
    void withoutActuatorHealthOnTheClassPathTheContextStartsWithASpool() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolHealthIndicator.class);
        });
    }

    @Test
    void withoutASpoolThereIsNoIndicator() {
        runner.withPropertyValues("retryspool.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolHealthIndicator.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingStoreConfiguration {

        @Bean
        RetrySpool failingRetrySpool() {
            return RetrySpool.builder()
                    .metaStore(SpoolProxies.metaStore(new InMemoryMetaStore(), Map.<String, Supplier<?>>of(
                            "countByState", () -> {
                                throw new StorageException("database is down");
                            })))
                    .dataStore(new InMemoryDataStore())
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserIndicatorConfiguration {

        @Bean
        RetrySpoolHealthIndicator myRetrySpoolHealth(RetrySpool spool) {
            return new RetrySpoolHealthIndicator(spool, false);
        }
    }
}
