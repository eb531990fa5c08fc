package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.ActivityMinute;
import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.SpoolListener;
import io.retryspool.testing.SharedSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one PostgreSQL schema, each with a pool of its own as two processes would have: what one delivers
 * shows in the other's per-minute activity, and the other's listeners hear of its enqueues through LISTEN/NOTIFY.
 */
class ActivityOnTwoInstancesTests {

    private SharedSchema shared;

    @BeforeEach
    void createSchema() {
        shared = SharedSchema.create("two_activity");
    }

    @AfterEach
    void closeInstancesAndDropSchema() throws Exception {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void whatOneInstanceDeliveredShowsInTheOthersActivity() {
        AtomicInteger handled = new AtomicInteger();
        RetrySpool worker = instance("worker", RetrySpool.builder()
                .handler((context, message, body) -> handled.incrementAndGet()));
        RetrySpool reader = instance("reader", RetrySpool.builder());
        worker.start();
        for (int i = 0; i < 5; i++) {
            worker.enqueue(EnqueueRequest.builder().body(new byte[] {1}).build());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 5);

        worker.stop(Duration.ofSeconds(5));

        List<ActivityMinute> seen = reader.activity(Duration.ofMinutes(5));
        assertThat(seen).hasSize(5);
        assertThat(seen.stream().mapToLong(ActivityMinute::delivered).sum()).isEqualTo(5);
        assertThat(seen.stream().mapToLong(ActivityMinute::enqueued).sum()).isEqualTo(5);
    }

    @Test
    void anInstanceIsToldOfTheOthersEnqueuesByNotification() {
        AtomicInteger changedElsewhere = new AtomicInteger();
        RetrySpool listening = instance("listening", RetrySpool.builder()
                .handler((context, message, body) -> { })
                .listener(new SpoolListener() {
                    @Override
                    public void changedElsewhere() {
                        changedElsewhere.incrementAndGet();
                    }
                }));
        RetrySpool enqueuing = instance("enqueuing", RetrySpool.builder());
        listening.start();

        enqueuing.enqueue(EnqueueRequest.builder().body(new byte[] {1}).build());

        await().atMost(Duration.ofSeconds(10)).until(() -> changedElsewhere.get() > 0);
    }

    private RetrySpool instance(String name, RetrySpoolBuilder builder) {
        return shared.track(builder.jdbc(shared.pool(6)).instanceId(name).pollInterval(Duration.ofMillis(200))
                .build());
    }
}
