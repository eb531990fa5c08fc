package io.retryspool.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.retryspool.EnqueueRequest;
import io.retryspool.MutableClock;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.metrics.RetrySpoolMetricsAutoConfiguration;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code retryspool.delay-warning}: bound and validated, every {@link DelayWarningHandler} bean told in
 * {@code @Order} order, and the warnings counted by {@code retryspool.delay.warnings}. The spool runs on a clock
 * the test moves.
 */
class DelayWarningAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    RetrySpoolAutoConfiguration.class, RetrySpoolMetricsAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.worker.poll-interval=20ms")
            .withUserConfiguration(WarningsConfiguration.class);

    @Test
    void delayWarningsAreOffByDefault() {
        runner.withPropertyValues("retryspool.auto-start=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RetrySpoolProperties.class).getDelayWarning()).isZero();
            assertThat(context.getBean(MeterRegistry.class).get("retryspool.delay.warnings").counter().count())
                    .isZero();
        });
    }

    @Test
    void aNegativeDelayWarningStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("retryspool.delay-warning=-1m").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("retryspool.delay-warning must not be negative");
        });
    }

    @Test
    void everyDelayWarningHandlerBeanIsToldInOrderAndTheWarningIsCounted() {
        runner.withPropertyValues("retryspool.delay-warning=4h").run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            MutableClock clock = context.getBean(MutableClock.class);
            List<String> told = context.getBean(WarningsConfiguration.class).told;
            String waiting = spool.enqueue(EnqueueRequest.builder().body(new byte[]{1})
                    .notBefore(clock.instant().plus(Duration.ofDays(1))).build());

            clock.advance(Duration.ofHours(4));
            await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 2);

            assertThat(told).containsExactly("first " + waiting, "second " + waiting);
            assertThat(context.getBean(MeterRegistry.class).get("retryspool.delay.warnings").counter().count())
                    .isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class WarningsConfiguration {

        final List<String> told = new CopyOnWriteArrayList<>();

        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.parse("2026-02-01T09:00:00Z"));
        }

        @Bean
        RetrySpoolCustomizer clockCustomizer(MutableClock clock) {
            return builder -> builder.clock(clock);
        }

        @Bean
        MessageHandler handler() {
            return (context, message, body) -> { };
        }

        @Bean
        @Order(2)
        DelayWarningHandler second() {
            return (message, waited) -> told.add("second " + message.id());
        }

        @Bean
        @Order(1)
        DelayWarningHandler first() {
            return (message, waited) -> told.add("first " + message.id());
        }
    }
}
