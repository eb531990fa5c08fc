package io.retryspool.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.SpoolListener;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.handler.BounceHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetrySpoolMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    RetrySpoolAutoConfiguration.class, RetrySpoolMetricsAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.worker.poll-interval=20ms");

    @Test
    void registryHasAMessagesGaugeForEachOfTheSixStatesAndTheOtherMeters() {
        runner.withPropertyValues("retryspool.auto-start=false").run(context -> {
            assertThat(context).hasSingleBean(RetrySpoolMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("retryspool.messages").gauges())
                    .extracting(gauge -> gauge.getId().getTag("state"))
                    .containsExactlyInAnyOrder("INCOMING", "ACTIVE", "DEFERRED", "HOLD", "BOUNCE", "ARCHIVED");
            assertThat(registry.get("retryspool.messages").gauges()).allSatisfy(gauge ->
                    assertThat(gauge.getId().getType()).isEqualTo(Meter.Type.GAUGE));
            assertThat(registry.get("retryspool.enqueued").counter().count()).isZero();
            assertThat(registry.get("retryspool.processed").counters())
                    .extracting(counter -> counter.getId().getTag("outcome"))
                    .containsExactlyInAnyOrder("delivered", "deferred", "bounced");
            assertThat(registry.get("retryspool.oldest.due.age").gauge().value()).isZero();
            assertThat(registry.get("retryspool.destinations.suspended").gauge().getId().getType())
                    .isEqualTo(Meter.Type.GAUGE);
        });
    }

    @Test
    void metricsBeanIsOneOfTheListenersTheAutoConfiguredSpoolNotifies() {
        runner.withPropertyValues("retryspool.auto-start=false").run(context -> {
            context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1});

            assertThat(context.getBean(SpoolListener.class)).isSameAs(context.getBean(RetrySpoolMetrics.class));
            assertThat(context.getBean(MeterRegistry.class).get("retryspool.enqueued").counter().count())
                    .isEqualTo(1);
        });
    }

    @Test
    void messageGaugesFollowEnqueuesAndMovesOnceTheCacheRefreshes() {
        runner.withPropertyValues("retryspool.auto-start=false", "retryspool.metrics.count-refresh=10ms")
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    String held = spool.enqueue(Map.of(), new byte[0]);
                    String bounced = spool.enqueue(Map.of(), new byte[0]);
                    spool.enqueue(Map.of(), new byte[0]);
                    spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);
                    spool.moveToState(bounced, QueueState.INCOMING, QueueState.BOUNCE);

                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        assertThat(messages(registry, "INCOMING")).isEqualTo(1);
                        assertThat(messages(registry, "HOLD")).isEqualTo(1);
                        assertThat(messages(registry, "BOUNCE")).isEqualTo(1);
                    });
                    assertThat(Arrays.asList("ACTIVE", "DEFERRED", "ARCHIVED"))
                            .allSatisfy(state -> assertThat(messages(registry, state)).isZero());

                    spool.moveToState(held, QueueState.HOLD, QueueState.INCOMING);
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        assertThat(messages(registry, "INCOMING")).isEqualTo(2);
                        assertThat(messages(registry, "HOLD")).isZero();
                    });
                });
    }

    @Test
    void deliveredAndFailedMessagesAreCountedAndTheirHandlerRunsTimed() {
        runner.withUserConfiguration(SometimesFailingHandlerConfiguration.class).run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            spool.enqueue(Map.of("fail", "no"), new byte[]{1});
            spool.enqueue(Map.of("fail", "yes"), new byte[]{2});

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(registry.get("retryspool.processed").tag("outcome", "delivered").counter().count())
                        .isEqualTo(1);
                assertThat(registry.get("retryspool.processed").tag("outcome", "deferred").counter().count())
                        .isEqualTo(1);
            });
            assertThat(registry.get("retryspool.enqueued").counter().count()).isEqualTo(2);
            assertThat(registry.get("retryspool.processed").tag("outcome", "bounced").counter().count()).isZero();
            assertThat(registry.get("retryspool.handler").tags("handler", "sometimes", "outcome", "success")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("retryspool.handler").tags("handler", "sometimes", "outcome", "failure")
                    .timer().count()).isEqualTo(1);
        });
    }

    @Test
    void deliveredAndBouncedMessagesThatAreArchivedCountAsDeliveredAndBounced() {
        runner.withPropertyValues("retryspool.archive.success=true", "retryspool.archive.bounce=true")
                .withUserConfiguration(RejectingHandlerConfiguration.class).run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    String delivered = spool.enqueue(Map.of(), new byte[]{1});
                    String bounced = spool.enqueue(Map.of("reject", "yes"), new byte[]{2});

                    awaitProcessed(context.getBean(MeterRegistry.class), 1, 1);
                    await().atMost(Duration.ofSeconds(10)).until(() -> spool.count(QueueState.ARCHIVED) == 2);
                    assertThat(spool.getMessage(delivered).metadata().state()).isEqualTo(QueueState.ARCHIVED);
                    assertThat(spool.getMessage(bounced).metadata().state()).isEqualTo(QueueState.ARCHIVED);
                    assertThat(processed(context.getBean(MeterRegistry.class), "deferred")).isZero();
                });
    }

    @Test
    void deliveredAndBouncedMessagesThatAreDeletedCountAsDeliveredAndBounced() {
        runner.withUserConfiguration(RejectingHandlerConfiguration.class).run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            spool.enqueue(Map.of(), new byte[]{1});
            spool.enqueue(Map.of("reject", "yes"), new byte[]{2});

            awaitProcessed(context.getBean(MeterRegistry.class), 1, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> spool.counts().values().stream()
                    .allMatch(count -> count == 0));
            assertThat(processed(context.getBean(MeterRegistry.class), "deferred")).isZero();
        });
    }

    @Test
    void suspendedDestinationsGaugeCountsTheDestinationsTheSpoolSuspended() {
        runner.withPropertyValues("retryspool.metrics.count-refresh=10ms", "retryspool.destinations.failure-threshold=1")
                .withBean("down", MessageHandler.class, () -> (context, message, body) -> {
                    throw new RetryableException("endpoint is down");
                })
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("retryspool.destinations.suspended").gauge().value()).isZero();
                    for (String destination : new String[]{"a.example", "b.example"}) {
                        spool.enqueue(EnqueueRequest.builder().destination(destination).body(new byte[0]).build());
                    }

                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThat(registry.get("retryspool.destinations.suspended").gauge().value()).isEqualTo(2));
                });
    }

    @Test
    void autoConfigurationBacksOffWhenTheUserDefinesTheMetricsBean() {
        runner.withPropertyValues("retryspool.auto-start=false")
                .withUserConfiguration(UserMetricsConfiguration.class).run(context -> {
                    assertThat(context).hasSingleBean(RetrySpoolMetrics.class);
                    assertThat(context).hasBean("userMetrics");
                    assertThat(context).doesNotHaveBean("retrySpoolMetrics");
                });
    }

    @Test
    void withoutAMeterRegistryThereAreNoMetricsButTheSpoolWorks() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class,
                        RetrySpoolMetricsAutoConfiguration.class))
                .withPropertyValues("retryspool.store=memory", "retryspool.auto-start=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(RetrySpool.class);
                    assertThat(context).doesNotHaveBean(RetrySpoolMetrics.class);
                });
    }

    @Test
    void withoutMicrometerOnTheClassPathTheContextStartsWithASpool() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(RetrySpoolMetrics.class);
            assertThat(context.getBean(RetrySpool.class).isRunning()).isTrue();
        });
    }

    @Test
    void disablingRetrySpoolRemovesTheMetrics() {
        runner.withPropertyValues("retryspool.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(MeterRegistry.class);
            assertThat(context).doesNotHaveBean(RetrySpoolMetrics.class);
        });
    }

    private static double processed(MeterRegistry registry, String outcome) {
        return registry.get("retryspool.processed").tag("outcome", outcome).counter().count();
    }

    private static void awaitProcessed(MeterRegistry registry, int delivered, int bounced) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(processed(registry, "delivered")).isEqualTo(delivered);
            assertThat(processed(registry, "bounced")).isEqualTo(bounced);
        });
    }

    private static double messages(MeterRegistry registry, String state) {
        return registry.get("retryspool.messages").tag("state", state).gauge().value();
    }

    @Configuration(proxyBeanMethods = false)
    static class SometimesFailingHandlerConfiguration {

        @Bean
        MessageHandler sometimesFailingHandler() {
            return new MessageHandler() {
                @Override
                public String name() {
                    return "sometimes";
                }

                @Override
                public void handle(MessageContext context, Message message, MessageBody body) {
                    if ("yes".equals(message.metadata().headers().get("fail"))) {
                        throw new RetryableException("recipient unreachable");
                    }
                }
            };
        }
    }

    /** Delivers every message but those with the header {@code reject}, which bounce to a bounce handler. */
    @Configuration(proxyBeanMethods = false)
    static class RejectingHandlerConfiguration {

        @Bean
        MessageHandler rejectingHandler() {
            return (context, message, body) -> {
                if (message.metadata().headers().containsKey("reject")) {
                    throw new PermanentException("recipient does not exist");
                }
            };
        }

        @Bean
        @BounceHandler
        MessageHandler bounceHandler() {
            return (context, message, body) -> { };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        @Bean
        RetrySpoolMetrics userMetrics() {
            return new RetrySpoolMetrics(() -> null, Duration.ofSeconds(1));
        }
    }
}
