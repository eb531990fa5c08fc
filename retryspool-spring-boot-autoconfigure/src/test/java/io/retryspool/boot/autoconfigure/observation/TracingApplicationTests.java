package io.retryspool.boot.autoconfigure.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.retryspool.RetrySpool;
import io.retryspool.observation.DefaultDeliveryObservationConvention;
import io.retryspool.observation.DeliveryContext;
import io.retryspool.observation.DeliveryObservationConvention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Boot's tracing auto-configuration and no RetrySpool-specific code, an enqueue made in a traced request and
 * the message's delivery are spans of the request's trace; a convention bean of the application's changes their key
 * values.
 */
class TracingApplicationTests {

    private ConfigurableApplicationContext context;

    private void startTheApplication(Class<?>... sources) {
        TracedApplication.DELIVERED.clear();
        context = new SpringApplicationBuilder(sources)
                .web(WebApplicationType.NONE)
                .properties("retryspool.store=memory",
                        "retryspool.worker.poll-interval=50ms",
                        "management.tracing.sampling.probability=1.0",
                        "management.opentelemetry.tracing.export.schedule-delay=50ms",
                        "spring.main.banner-mode=off",
                        // this module's test classpath holds Flyway and Liquibase for other tests; this application has neither
                        "spring.liquibase.enabled=false", "spring.flyway.enabled=false")
                .run();
    }

    @AfterEach
    void stopTheApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void anEnqueueInATracedRequestAndTheMessagesDeliveryAreSpansOfTheRequestsTrace() {
        startTheApplication(TracedApplication.class);
        RetrySpool spool = context.getBean(RetrySpool.class);
        InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);

        String id = Observation.createNotStarted("checkout", context.getBean(ObservationRegistry.class))
                .observe(() -> spool.enqueue(Map.of("kind", "receipt"), "paid".getBytes(StandardCharsets.UTF_8)));

        await().atMost(Duration.ofSeconds(20)).until(() -> spans(exporter, "retryspool delivery").size() == 1);
        SpanData request = spans(exporter, "checkout").get(0);
        SpanData enqueue = spans(exporter, "retryspool enqueue").get(0);
        SpanData delivery = spans(exporter, "retryspool delivery").get(0);
        assertThat(enqueue.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(enqueue.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(delivery.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(delivery.getParentSpanId()).isEqualTo(enqueue.getSpanId());
        assertThat(delivery.getAttributes().get(AttributeKey.stringKey("retryspool.message.id"))).isEqualTo(id);
        assertThat(delivery.getAttributes().get(AttributeKey.stringKey("retryspool.handler"))).isEqualTo("mailer");
        assertThat(TracedApplication.DELIVERED.get(id).get("traceparent"))
                .startsWith("00-" + enqueue.getTraceId() + "-" + enqueue.getSpanId() + "-");
    }

    @Test
    void aConventionBeanChangesTheKeyValuesOfTheSpoolsObservations() {
        startTheApplication(TracedApplication.class, TeamConvention.class);
        InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);

        context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1});

        await().atMost(Duration.ofSeconds(20)).until(() -> spans(exporter, "retryspool delivery").size() == 1);
        assertThat(spans(exporter, "retryspool delivery").get(0).getAttributes().get(AttributeKey.stringKey("team")))
                .isEqualTo("billing");
    }

    /** A delivery convention of the application's, as a bean. */
    @Configuration(proxyBeanMethods = false)
    static class TeamConvention {

        @Bean
        DeliveryObservationConvention teamDeliveryConvention() {
            return new DefaultDeliveryObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(DeliveryContext context) {
                    return super.getLowCardinalityKeyValues(context).and("team", "billing");
                }
            };
        }
    }

    private static List<SpanData> spans(InMemorySpanExporter exporter, String name) {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
    }
}
