package io.retryspool.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retryspool.DestinationStatus;
import io.retryspool.MutableClock;
import io.retryspool.ProcessingOutcome;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetrySpoolMetricsTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final RetrySpool spool = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore())
            .clock(clock)
            .build();
    private final AtomicInteger countCalls = new AtomicInteger();
    private final AtomicInteger oldestDueCalls = new AtomicInteger();
    private final AtomicBoolean storeFails = new AtomicBoolean();
    private final AtomicInteger suspendedCalls = new AtomicInteger();
    private final List<DestinationStatus> suspended = new CopyOnWriteArrayList<>();
    private final RetrySpool watched = SpoolProxies.spool(spool, Map.<String, Supplier<?>>of(
            "estimateCounts", () -> {
                countCalls.incrementAndGet();
                if (storeFails.get()) {
                    throw new StorageException("database is down");
                }
                return spool.estimateCounts();
            },
            "oldestDue", () -> {
                oldestDueCalls.incrementAndGet();
                return spool.oldestDue();
            },
            "suspendedDestinations", () -> {
                suspendedCalls.incrementAndGet();
                if (storeFails.get()) {
                    throw new StorageException("database is down");
                }
                return List.copyOf(suspended);
            }));
    private final RetrySpoolMetrics metrics = new RetrySpoolMetrics(() -> watched, Duration.ofSeconds(5), clock);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void gaugesServeOneSnapshotUntilTheRefreshIntervalHasPassed() {
        metrics.bindTo(registry);
        assertThat(messages("INCOMING")).isZero();
        spool.enqueue(Map.of(), new byte[]{1});
        spool.enqueue(Map.of(), new byte[]{2});
        clock.advance(Duration.ofMillis(4_999));
        for (int scrape = 0; scrape < 10; scrape++) {
            assertThat(messages("INCOMING")).isZero();
            assertThat(oldestDueAge()).isZero();
        }
        assertThat(countCalls).hasValue(1);
        assertThat(oldestDueCalls).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(messages("INCOMING")).isEqualTo(2);
        assertThat(countCalls).hasValue(2);
        assertThat(oldestDueCalls).hasValue(2);
    }

    @Test
    void messageGaugesShowTheCountOfEveryState() {
        metrics.bindTo(registry);
        String held = spool.enqueue(Map.of(), new byte[0]);
        String bounced = spool.enqueue(Map.of(), new byte[0]);
        spool.enqueue(Map.of(), new byte[0]);
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);
        spool.moveToState(bounced, QueueState.INCOMING, QueueState.BOUNCE);

        assertThat(messages("INCOMING")).isEqualTo(1);
        assertThat(messages("ACTIVE")).isZero();
        assertThat(messages("DEFERRED")).isZero();
        assertThat(messages("HOLD")).isEqualTo(1);
        assertThat(messages("BOUNCE")).isEqualTo(1);
        assertThat(messages("ARCHIVED")).isZero();
    }

    @Test
    void oldestDueAgeIsTheSecondsSinceTheOldestDueMessageBecameDue() {
        metrics.bindTo(registry);
        assertThat(oldestDueAge()).isZero();
        spool.enqueue(Map.of(), new byte[0]);
        clock.advance(Duration.ofSeconds(30));
        spool.enqueue(Map.of(), new byte[0]);
        clock.advance(Duration.ofMillis(1_500));

        assertThat(oldestDueAge()).isEqualTo(31.5);
        assertThat(registry.get("retryspool.oldest.due.age").gauge().getId().getBaseUnit()).isEqualTo("seconds");
    }

    @Test
    void gaugesReportNaNWhileTheStoreCannotBeReadAndRecoverAfterTheNextRefresh() {
        metrics.bindTo(registry);
        spool.enqueue(Map.of(), new byte[0]);
        storeFails.set(true);
        assertThat(messages("INCOMING")).isNaN();
        assertThat(oldestDueAge()).isNaN();

        storeFails.set(false);
        clock.advance(Duration.ofSeconds(5));
        assertThat(messages("INCOMING")).isEqualTo(1);
    }

    @Test
    void suspendedDestinationsGaugeCountsThemFromOneReadingPerRefreshInterval() {
        metrics.bindTo(registry);
        assertThat(suspendedDestinations()).isZero();
        suspended.add(new DestinationStatus("mail.example.com", 5, 1, clock.instant().plusSeconds(300)));
        suspended.add(new DestinationStatus("hooks.example.com", 7, 2, clock.instant().minusSeconds(1)));
        clock.advance(Duration.ofMillis(4_999));
        assertThat(suspendedDestinations()).as("until the refresh interval has passed").isZero();
        assertThat(suspendedCalls).hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(suspendedDestinations()).as("paused and on probation alike").isEqualTo(2);
        assertThat(messages("INCOMING")).isZero();
        assertThat(suspendedCalls).hasValue(2);
        assertThat(registry.get("retryspool.destinations.suspended").gauge().getId().getDescription()).isNotBlank();
    }

    @Test
    void suspendedDestinationsGaugeReportsNaNWhileTheStoreCannotBeReadAndRecovers() {
        metrics.bindTo(registry);
        storeFails.set(true);
        assertThat(suspendedDestinations()).isNaN();

        storeFails.set(false);
        suspended.add(new DestinationStatus("mail.example.com", 5, 1, clock.instant().plusSeconds(300)));
        clock.advance(Duration.ofSeconds(5));
        assertThat(suspendedDestinations()).isEqualTo(1);
    }

    @Test
    void listenerEventsAreCountedInEveryBoundRegistry() {
        MeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.bindTo(second);

        metrics.enqueued(3);
        metrics.processed(ProcessingOutcome.DEFERRED);
        metrics.processed(ProcessingOutcome.DELIVERED);
        metrics.processed(ProcessingOutcome.DELIVERED);
        metrics.handlerFinished("mail", false, Duration.ofMillis(20));
        metrics.handlerFinished("mail", true, Duration.ofMillis(5));

        for (MeterRegistry each : new MeterRegistry[]{registry, second}) {
            assertThat(each.get("retryspool.enqueued").counter().count()).isEqualTo(3);
            assertThat(each.get("retryspool.processed").tag("outcome", "delivered").counter().count()).isEqualTo(2);
            assertThat(each.get("retryspool.processed").tag("outcome", "deferred").counter().count()).isEqualTo(1);
            assertThat(each.get("retryspool.processed").tag("outcome", "bounced").counter().count()).isZero();
            Timer failed = each.get("retryspool.handler").tags("handler", "mail", "outcome", "failure").timer();
            assertThat(failed.count()).isEqualTo(1);
            assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
            assertThat(each.get("retryspool.handler").tags("handler", "mail", "outcome", "success").timer().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void gaugesReportNaNWhileThereIsNoSpool() {
        new RetrySpoolMetrics(() -> null, Duration.ofSeconds(5), clock).bindTo(registry);

        assertThat(messages("INCOMING")).isNaN();
    }

    @Test
    void refreshIntervalMustBePositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RetrySpoolMetrics(() -> spool, Duration.ZERO, clock))
                .withMessageContaining("countRefresh");
    }

    private double messages(String state) {
        return registry.get("retryspool.messages").tag("state", state).gauge().value();
    }

    private double suspendedDestinations() {
        return registry.get("retryspool.destinations.suspended").gauge().value();
    }

    private double oldestDueAge() {
        return registry.get("retryspool.oldest.due.age").gauge().value();
    }

    @Test
    void delayWarningsAreCountedInEveryBoundRegistry() {
        MeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.bindTo(second);
        assertThat(registry.get("retryspool.delay.warnings").counter().count()).isZero();

        metrics.delayWarned(3);
        metrics.delayWarned(1);

        assertThat(registry.get("retryspool.delay.warnings").counter().count()).isEqualTo(4);
        assertThat(second.get("retryspool.delay.warnings").counter().count()).isEqualTo(4);
    }
}
