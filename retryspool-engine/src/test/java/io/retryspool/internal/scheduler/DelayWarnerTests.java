package io.retryspool.internal.scheduler;

import io.retryspool.MessageMetadata;
import io.retryspool.MutableClock;
import io.retryspool.QueueState;
import io.retryspool.SpoolListener;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Delay warnings by the spool's clock, on the in-memory store: when, to whom, how often. */
class DelayWarnerTests {

    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration DELAY = Duration.ofHours(4);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryMetaStore metaStore = new InMemoryMetaStore();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger counted = new AtomicInteger();
    private final SpoolListener listener = new SpoolListener() {
        @Override
        public void delayWarned(int count) {
            counted.addAndGet(count);
        }
    };

    @Test
    void aMessageIsWarnedAboutOnceItHasWaitedTheDelayWithHowLongItWaited() {
        List<Duration> waited = new ArrayList<>();
        DelayWarner warner = warner(DELAY, (message, duration) -> {
            calls.add(message.id());
            waited.add(duration);
        });
        store("m1", QueueState.DEFERRED);

        clock.advance(DELAY.minusSeconds(1));
        assertThat(warner.warn()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(warner.warn()).isEqualTo(1);

        assertThat(calls).containsExactly("m1");
        assertThat(waited).containsExactly(DELAY);
        assertThat(counted).hasValue(1);
    }

    @Test
    void aMessageIsWarnedAboutOnlyOnce() {
        DelayWarner warner = warner(DELAY, (message, duration) -> calls.add(message.id()));
        store("m1", QueueState.INCOMING);
        clock.advance(DELAY);

        warner.warn();
        clock.advance(Duration.ofDays(3));
        warner.warn();

        assertThat(calls).containsExactly("m1");
        assertThat(counted).hasValue(1);
    }

    @Test
    void handlersAreCalledInRegistrationOrderAndAFailingOneDoesNotStopTheNext() {
        DelayWarner warner = warner(DELAY,
                (message, duration) -> calls.add("first " + message.id()),
                (message, duration) -> {
                    calls.add("failing " + message.id());
                    throw new IllegalStateException("mail server down");
                },
                (message, duration) -> calls.add("last " + message.id()));
        store("m1", QueueState.HOLD);
        store("m2", QueueState.DEFERRED);
        clock.advance(DELAY);

        assertThat(warner.warn()).isEqualTo(2);
        clock.advance(Duration.ofDays(1));
        warner.warn();

        assertThat(calls).as("both messages reach every handler, once, although one handler failed")
                .containsExactly("first m1", "failing m1", "last m1", "first m2", "failing m2", "last m2");
    }

    @Test
    void aZeroDelayWarnsAboutNothing() {
        DelayWarner warner = warner(Duration.ZERO, (message, duration) -> calls.add(message.id()));
        store("m1", QueueState.DEFERRED);
        clock.advance(Duration.ofDays(30));

        warner.run();

        assertThat(warner.enabled()).isFalse();
        assertThat(warner.warn()).isZero();
        assertThat(calls).isEmpty();
        assertThat(metaStore.claimDelayWarnings(clock.instant(), clock.instant(), 10))
                .as("the message was not marked as warned").hasSize(1);
    }

    @Test
    void runLooksAgainOnlyOnceTheIntervalHasPassedOnTheSpoolsClock() {
        DelayWarner warner = warner(DELAY, (message, duration) -> calls.add(message.id()));
        store("m1", QueueState.DEFERRED);
        clock.advance(DELAY);
        warner.run();
        store("m2", QueueState.DEFERRED, T0);

        clock.advance(DelayWarner.INTERVAL.minusSeconds(1));
        warner.run();
        assertThat(calls).containsExactly("m1");

        clock.advance(Duration.ofSeconds(1));
        warner.run();
        assertThat(calls).containsExactly("m1", "m2");
    }

    @Test
    void aRunStopsAtItsBoundAndTheNextRunGoesOnWithoutWaitingForTheInterval() {
        DelayWarner warner = warner(DELAY, (message, duration) -> calls.add(message.id()));
        int bound = DelayWarner.BATCH * DelayWarner.MAX_BATCHES_PER_RUN;
        for (int n = 0; n < bound + 5; n++) {
            store(String.format("m%05d", n), QueueState.DEFERRED, T0.plusMillis(n));
        }
        clock.advance(DELAY.plusHours(1));

        warner.run();
        assertThat(calls).hasSize(bound).first().isEqualTo("m00000");
        warner.run();

        assertThat(calls).hasSize(bound + 5).doesNotHaveDuplicates();
        assertThat(counted).hasValue(bound + 5);
    }

    @Test
    void anInterruptedRunStopsAfterTheBatchItClaimedAndReportsThatBatch() {
        DelayWarner warner = warner(DELAY, (message, duration) -> {
            calls.add(message.id());
            Thread.currentThread().interrupt();
        });
        for (int n = 0; n < DelayWarner.BATCH * 2; n++) {
            store(String.format("m%05d", n), QueueState.DEFERRED, T0.plusMillis(n));
        }
        clock.advance(DELAY.plusHours(1));

        try {
            assertThat(warner.warn()).isEqualTo(DelayWarner.BATCH);
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(calls).hasSize(DelayWarner.BATCH);
    }

    private DelayWarner warner(Duration delay, DelayWarningHandler... handlers) {
        return new DelayWarner(metaStore, delay, List.of(handlers), listener, clock);
    }

    private void store(String id, QueueState state) {
        store(id, state, clock.instant());
    }

    private void store(String id, QueueState state, Instant created) {
        metaStore.store(new NewMessage(MessageMetadata.builder().id(id).created(created).build(), null));
        if (state != QueueState.INCOMING) {
            metaStore.moveToState(id, QueueState.INCOMING, state, created, null);
        }
    }
}
