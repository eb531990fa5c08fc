package io.retryspool.internal.scheduler;

import io.retryspool.ActivityMinute;
import io.retryspool.MutableClock;
import io.retryspool.ProcessingOutcome;
import io.retryspool.StorageException;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivityLogTests {

    private static final Instant NOON = Instant.parse("2026-06-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOON.plusSeconds(5));
    private final AtomicBoolean storeFails = new AtomicBoolean();
    private final InMemoryMetaStore store = new InMemoryMetaStore();
    /** The store, whose recordActivity fails while {@link #storeFails} is set. */
    private final MetaStore failing = (MetaStore) Proxy.newProxyInstance(MetaStore.class.getClassLoader(),
            new Class<?>[] {MetaStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("recordActivity") && storeFails.get()) {
                    throw new StorageException("database is down");
                }
                try {
                    return method.invoke(store, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final ActivityLog log = new ActivityLog(failing, "here", clock);

    @Test
    void countsShowAtOnceBeforeTheyAreWrittenAndOnceAfter() {
        log.enqueued(3);
        log.processed(ProcessingOutcome.DELIVERED);
        log.processed(ProcessingOutcome.DEFERRED);
        clock.advance(Duration.ofMinutes(1));
        log.processed(ProcessingOutcome.BOUNCED);

        List<ActivityMinute> before = log.lastMinutes(3);
        log.run();
        List<ActivityMinute> after = log.lastMinutes(3);

        assertThat(before).containsExactly(ActivityMinute.empty(NOON.minusSeconds(60)),
                new ActivityMinute(NOON, 3, 1, 1, 0), new ActivityMinute(NOON.plusSeconds(60), 0, 0, 0, 1));
        assertThat(after).isEqualTo(before);
        assertThat(store.activity(NOON)).as("written").hasSize(2);
    }

    @Test
    void otherInstancesRecordsAreAddedToThisInstancesCounts() {
        store.recordActivity("elsewhere", List.of(new ActivityMinute(NOON, 10, 20, 0, 0)));
        log.processed(ProcessingOutcome.DELIVERED);

        assertThat(log.lastMinutes(1)).containsExactly(new ActivityMinute(NOON, 10, 21, 0, 0));
    }

    @Test
    void countsThatCouldNotBeWrittenAreKeptForTheNextWrite() {
        log.processed(ProcessingOutcome.DELIVERED);
        storeFails.set(true);

        assertThatThrownBy(log::run).isInstanceOf(StorageException.class);
        log.processed(ProcessingOutcome.DELIVERED);
        storeFails.set(false);
        log.run();

        assertThat(store.activity(NOON)).containsExactly(new ActivityMinute(NOON, 0, 2, 0, 0));
        assertThat(log.lastMinutes(1)).containsExactly(new ActivityMinute(NOON, 0, 2, 0, 0));
    }

    @Test
    void writingDeletesRecordsOlderThanTheRetention() {
        store.recordActivity("elsewhere", List.of(new ActivityMinute(NOON.minus(ActivityLog.RETENTION).minusSeconds(60),
                1, 0, 0, 0)));
        log.enqueued(1);

        log.run();

        assertThat(store.activity(Instant.EPOCH)).containsExactly(new ActivityMinute(NOON, 1, 0, 0, 0));
    }

    @Test
    void anIdleLogWritesNothing() {
        log.run();

        assertThat(store.activity(Instant.EPOCH)).isEmpty();
    }
}
