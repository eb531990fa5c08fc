package io.retryspool.observation;

import io.micrometer.common.KeyValues;
import io.opentelemetry.api.common.AttributeKey;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Conventions registered on the observation registry replace the spool's default names and key values. */
class ObservationConventionTests {

    @Test
    void conventionsRegisteredOnTheRegistryNameTheSpansAndTheirKeyValues() {
        try (TestTracing tracing = new TestTracing()) {
            tracing.registry().observationConfig()
                    .observationConvention(new DefaultEnqueueObservationConvention() {
                        @Override
                        public String getContextualName(EnqueueContext context) {
                            return "spool " + context.getCarrier().get("kind");
                        }
                    })
                    .observationConvention(new DefaultDeliveryObservationConvention() {
                        @Override
                        public String getContextualName(DeliveryContext context) {
                            return "deliver with " + context.getHandlerName();
                        }

                        @Override
                        public KeyValues getLowCardinalityKeyValues(DeliveryContext context) {
                            return super.getLowCardinalityKeyValues(context).and("team", "billing");
                        }
                    });
            try (RetrySpool spool = RetrySpool.builder()
                    .store(SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()))
                    .observationRegistry(tracing.registry())
                    .pollInterval(Duration.ofMillis(20))
                    .handler(new MessageHandler() {
                        @Override
                        public String name() {
                            return "mailer";
                        }

                        @Override
                        public void handle(MessageContext context, Message message, MessageBody body) {
                        }
                    })
                    .build()) {
                spool.start();

                spool.enqueue(Map.of("kind", "invoice"), new byte[0]);

                await().atMost(Duration.ofSeconds(20)).until(() -> tracing.spans().size() == 2);
            }
            assertThat(tracing.spans()).map(SpanData::getName).containsExactly("spool invoice", "deliver with mailer");
            assertThat(tracing.spans().get(1).getAttributes().get(AttributeKey.stringKey("team"))).isEqualTo("billing");
        }
    }
}
