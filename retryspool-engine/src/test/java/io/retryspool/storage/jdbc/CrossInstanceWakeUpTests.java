package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** On PostgreSQL an enqueue in one instance wakes the workers of another at once (LISTEN/NOTIFY), not at their next poll. */
class CrossInstanceWakeUpTests {

    @Test
    void messageEnqueuedByOneInstanceIsHandledByAnotherLongBeforeItsPollInterval() throws Exception {
        enqueuedByOneInstanceAndHandledByAnother("wakeup", EnqueueRequest.builder().body(new byte[]{1}).build());
    }

    /**
     * A worker whose last claim found no destination with due messages passes over the destinations for a second;
     * another instance's enqueue of a message with a destination ends that second, so it is claimed at once (with an
     * hour's poll interval, after the second it would otherwise wait for the next poll).
     */
    @Test
    void messageWithADestinationEnqueuedByOneInstanceIsHandledByAnotherThatFoundNoDestinationDueJustBefore()
            throws Exception {
        enqueuedByOneInstanceAndHandledByAnother("wakeup_destination",
                EnqueueRequest.builder().destination("mx.example.com").body(new byte[]{1}).build());
    }

    /**
     * Starts a worker instance with an hour's poll interval, lets its first claim find nothing due, enqueues the
     * request through another instance and expects the worker to handle it within seconds.
     */
    private static void enqueuedByOneInstanceAndHandledByAnother(String purpose, EnqueueRequest request)
            throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema(purpose, 4);
             HikariDataSource otherPool = schema.pool(4)) {
            CompletableFuture<String> handled = new CompletableFuture<>();
            try (RetrySpool producer = RetrySpool.builder().jdbc(schema.dataSource()).instanceId("producer").build();
                 RetrySpool worker = RetrySpool.builder().jdbc(otherPool).instanceId("worker")
                         .pollInterval(Duration.ofHours(1))
                         .handler((context, message, body) -> handled.complete(message.id())).build()) {
                worker.start();
                Thread.sleep(200); // its first claim found nothing due, with or without a destination

                String id = producer.enqueue(request);

                assertThat(handled.get(10, TimeUnit.SECONDS)).isEqualTo(id);
            }
        }
    }
}
