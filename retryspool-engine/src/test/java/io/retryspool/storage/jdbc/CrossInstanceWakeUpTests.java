package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** On PostgreSQL an enqueue in one instance wakes the workers of another at once (LISTEN/NOTIFY), not at their next poll. */
class CrossInstanceWakeUpTests {

    @Test
    void messageEnqueuedByOneInstanceIsHandledByAnotherLongBeforeItsPollInterval() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("wakeup", 4);
             HikariDataSource otherPool = schema.pool(4)) {
            CompletableFuture<String> handled = new CompletableFuture<>();
            try (RetrySpool producer = RetrySpool.builder().jdbc(schema.dataSource()).instanceId("producer").build();
                 RetrySpool worker = RetrySpool.builder().jdbc(otherPool).instanceId("worker")
                         .pollInterval(Duration.ofHours(1))
                         .handler((context, message, body) -> handled.complete(message.id())).build()) {
                worker.start();
                Thread.sleep(500);

                String id = producer.enqueue(Map.of(), new byte[]{1});

                assertThat(handled.get(10, TimeUnit.SECONDS)).isEqualTo(id);
            }
        }
    }
}
