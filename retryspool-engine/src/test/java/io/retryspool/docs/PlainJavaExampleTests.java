package io.retryspool.docs;

import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.handler.BounceHandler;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The plain-Java example of README.md ("Using it without Spring"), run; the README shows it as whole classes. */
class PlainJavaExampleTests {

    static final List<String> sent = new CopyOnWriteArrayList<>();

    // tag::handler[]
    /** Delivers notifications; a 4xx from the provider is permanent, anything else is retried. */
    static class EmailHandler implements MessageHandler {
        @Override
        public boolean canHandle(Map<String, String> headers) {
            return "email".equals(headers.get("channel"));
        }

        @Override
        public void handle(MessageContext context, Message message, MessageBody body) throws IOException {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            String to = message.metadata().headers().get("to");
            if (to == null || to.isBlank()) {
                throw new PermanentException("no recipient");          // -> BOUNCE, no retries
            }
            sent.add(to + ": " + text);                                 // any other exception -> DEFERRED, retried
            context.setHeader("x-provider-id", "msg-" + context.attempt());
        }
    }
    // end::handler[]

    @Test
    void plainJavaExampleDeliversAMessage() throws Exception {
        // tag::spool[]
        try (RetrySpool spool = RetrySpool.builder()
                .metaStore(new InMemoryMetaStore())             // JDBC stores: see docs/storage.md
                .dataStore(new InMemoryDataStore())
                .handler(new EmailHandler())
                .bounceHandler(new LogBounces())
                .retryPolicy(ExponentialRetryPolicy.ofIntervals(
                        Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1)))
                .maxAttempts(8)
                .concurrency(4)
                .build()) {
            spool.start();

            String id = spool.enqueue(EnqueueRequest.builder()
                    .header("channel", "email")
                    .header("to", "alice@example.com")
                    .body("Your order shipped".getBytes(StandardCharsets.UTF_8))
                    .priority(10)
                    .idempotencyKey("order-4711-shipped")
                    .build());
            // end::spool[]

            await().atMost(Duration.ofSeconds(20)).until(() -> spool.count(QueueState.INCOMING) == 0
                    && spool.count(QueueState.ACTIVE) == 0);
            assertThat(id).isNotBlank();
            assertThat(sent).containsExactly("alice@example.com: Your order shipped");
        }
    }

    // tag::bounce[]
    /** Runs for messages that went to BOUNCE; lastError tells why. */
    @BounceHandler
    static class LogBounces implements MessageHandler {
        @Override
        public void handle(MessageContext context, Message message, MessageBody body) {
            System.err.println("undeliverable " + message.id() + ": " + message.metadata().lastError());
        }
    }
    // end::bounce[]
}
