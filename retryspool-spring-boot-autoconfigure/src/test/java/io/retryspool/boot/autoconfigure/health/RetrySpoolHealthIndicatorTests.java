package io.retryspool.boot.autoconfigure.health;

import io.retryspool.MutableClock;
import io.retryspool.RetrySpool;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetrySpoolHealthIndicatorTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final RetrySpool spool = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore())
            .clock(clock)
            .build();

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void oldestDueAgeDetailIsTheWholeSecondsSinceTheOldestDueMessageBecameDue() {
        spool.enqueue(Map.of(), new byte[0]);
        clock.advance(Duration.ofMillis(42_700));

        Health health = new RetrySpoolHealthIndicator(spool, false, clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("oldestDueAgeSeconds", 42L);
    }

    @Test
    void closedSpoolIsDown() {
        spool.close();

        Health health = new RetrySpoolHealthIndicator(spool, false, clock).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKeys("error", "reason");
    }
}
