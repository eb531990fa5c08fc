package io.retryspool.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retryspool.MutableClock;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import io.retryspool.boot.autoconfigure.testing.SpoolProxies;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code retryspool.backlog} gauges that {@link RetrySpoolMetrics} registers. */
class BacklogGaugesTests {

    private static final String[] QUEUE_STATES = {"INCOMING", "ACTIVE", "DEFERRED", "HOLD", "BOUNCE"};
    private static final String[] AGES = {"5m", "10m", "20m", "40m", "80m", "160m", "320m", "640m", "1280m", "+Inf"};

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final RetrySpool spool = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore())
            .clock(clock)
            .build();
    private final AtomicInteger backlogCalls = new AtomicInteger();
    private final AtomicBoolean storeFails = new AtomicBoolean();
    private final RetrySpool watched = SpoolProxies.spool(spool, Map.<String, Supplier<?>>of(
            "backlog", () -> {
                backlogCalls.incrementAndGet();
                if (storeFails.get()) {
                    throw new StorageException("database is down");
                }
                return spool.backlog();
            }));
    private final RetrySpoolMetrics metrics = new RetrySpoolMetrics(() -> watched, Duration.ofSeconds(5), clock);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void everyStateButArchivedHasASeriesForEveryAgeBucketZeroWhenEmpty() {
        metrics.bindTo(registry);

        assertThat(registry.find("retryspool.backlog").gauges()).hasSize(50)
                .allSatisfy(gauge -> assertThat(gauge.value()).isZero());
        for (String state : QUEUE_STATES) {
            for (String age : AGES) {
                assertThat(registry.find("retryspool.backlog").tags("state", state, "age", age).gauges()).hasSize(1);
            }
        }
        assertThat(registry.find("retryspool.backlog").tag("state", "ARCHIVED").gauges()).isEmpty();
    }

    @Test
    void gaugesShowHowManyMessagesOfEachStateFallIntoEachAgeBucket() {
        metrics.bindTo(registry);
        String held = spool.enqueue(Map.of(), new byte[0]);
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);
        clock.advance(Duration.ofMinutes(90));
        spool.enqueue(Map.of(), new byte[0]);
        spool.enqueue(Map.of(), new byte[0]);

        assertThat(backlog("INCOMING", "5m")).isEqualTo(2);
        assertThat(backlog("HOLD", "160m")).as("90 minutes old: above 80m, up to 160m").isEqualTo(1);
        assertThat(backlog("HOLD", "80m")).isZero();
        assertThat(registry.find("retryspool.backlog").gauges().stream().mapToDouble(Gauge::value).sum()).isEqualTo(3);
    }

    @Test
    void allSeriesReadOneBacklogQueryUntilTheRefreshIntervalHasPassed() {
        metrics.bindTo(registry);
        for (int scrape = 0; scrape < 3; scrape++) {
            registry.find("retryspool.backlog").gauges().forEach(Gauge::value);
        }
        spool.enqueue(Map.of(), new byte[0]);
        clock.advance(Duration.ofMillis(4_999));
        assertThat(backlog("INCOMING", "5m")).as("still the first snapshot").isZero();
        assertThat(backlogCalls).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(backlog("INCOMING", "5m")).isEqualTo(1);
        assertThat(backlogCalls).hasValue(2);
    }

    @Test
    void scrapingTheMessageGaugesDoesNotQueryTheBacklog() {
        metrics.bindTo(registry);

        registry.get("retryspool.messages").tag("state", "INCOMING").gauge().value();
        registry.get("retryspool.oldest.due.age").gauge().value();

        assertThat(backlogCalls).hasValue(0);
    }

    @Test
    void gaugesReportNaNWhileTheBacklogCannotBeReadAndRecoverAfterTheNextRefresh() {
        metrics.bindTo(registry);
        spool.enqueue(Map.of(), new byte[0]);
        storeFails.set(true);
        assertThat(backlog("INCOMING", "5m")).isNaN();
        assertThat(backlog("BOUNCE", "+Inf")).isNaN();

        storeFails.set(false);
        clock.advance(Duration.ofSeconds(5));
        assertThat(backlog("INCOMING", "5m")).isEqualTo(1);
    }

    @Test
    void gaugesReportNaNWhileThereIsNoSpool() {
        new RetrySpoolMetrics(() -> null, Duration.ofSeconds(5), clock).bindTo(registry);

        assertThat(backlog("DEFERRED", "10m")).isNaN();
    }

    private double backlog(String state, String age) {
        return registry.get("retryspool.backlog").tags("state", state, "age", age).gauge().value();
    }
}
