package io.retryspool.docs;

import io.retryspool.MessageFilter;
import io.retryspool.MutableClock;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk-verb example of docs/operations.md ("Bulk actions"), run; the page quotes the tagged lines. */
class BulkActionsExampleTests {

    @Test
    void bulkExampleRequeuesTheOldDeferredMessagesAndDeletesTheBounces() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (RetrySpool spool = RetrySpool.builder().metaStore(new InMemoryMetaStore())
                .dataStore(new InMemoryDataStore(clock)).clock(clock).build()) {
            String old = spool.enqueue(Map.of("tenant", "acme"), new byte[0]);
            spool.updateMetadata(old, metadata -> metadata.toBuilder().lastError("Connection Refused").build());
            spool.moveToState(old, QueueState.INCOMING, QueueState.DEFERRED);
            String bounced = spool.enqueue(Map.of(), new byte[0]);
            spool.moveToState(bounced, QueueState.INCOMING, QueueState.BOUNCE);
            clock.advance(Duration.ofHours(2));

            // tag::bulk[]
            MessageFilter deferredForAnHour = MessageFilter.builder()
                    .state(QueueState.DEFERRED)
                    .headerEquals("tenant", "acme")
                    .olderThan(Duration.ofHours(1))
                    .errorContains("connection refused")
                    .build();
            long waiting = spool.count(deferredForAnHour);                    // how many match now
            long requeued = spool.moveAll(deferredForAnHour, QueueState.INCOMING);
            long deleted = spool.deleteAll(MessageFilter.builder().state(QueueState.BOUNCE).build());
            // end::bulk[]

            assertThat(waiting).isEqualTo(1);
            assertThat(requeued).isEqualTo(1);
            assertThat(deleted).isEqualTo(1);
            assertThat(spool.getMessage(old).metadata().state()).isEqualTo(QueueState.INCOMING);
        }
    }
}
