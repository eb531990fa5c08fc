package io.retryspool.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.retryspool.BacklogShape;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The gauges {@code retryspool.backlog}, tagged {@code state} (every state of {@link BacklogShape#STATES}) and
 * {@code age} (every label of {@link BacklogShape#BUCKET_LABELS}): all the series are always registered, zero when
 * empty. They read one {@link RetrySpool#backlog()} snapshot, taken again on a scrape when it is older than the
 * refresh interval, so the store is asked once per interval for all of them; while it cannot be read they report
 * {@code NaN}.
 */
final class BacklogGauges {

    private static final Logger log = LoggerFactory.getLogger(BacklogGauges.class);

    static final String BACKLOG = "retryspool.backlog";

    private final Supplier<? extends @Nullable RetrySpool> spool;
    private final Duration refresh;
    private final Clock clock;
    private final ReentrantLock refreshLock = new ReentrantLock();

    private volatile @Nullable Snapshot snapshot;
    private volatile boolean failing;

    /**
     * Creates the gauges.
     *
     * @param spool supplies the spool (null while there is none)
     * @param refresh how old the snapshot may grow before it is taken again
     * @param clock the clock that dates snapshots
     */
    BacklogGauges(Supplier<? extends @Nullable RetrySpool> spool, Duration refresh, Clock clock) {
        this.spool = spool;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** Registers a gauge for every state and age bucket. */
    void bindTo(MeterRegistry registry) {
        for (QueueState state : BacklogShape.STATES) {
            for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
                int index = bucket;
                Gauge.builder(BACKLOG, this, gauges -> gauges.count(state, index))
                        .tag("state", state.name())
                        .tag("age", BacklogShape.BUCKET_LABELS.get(bucket))
                        .description("Messages in the spool, by state and by age since enqueue (upper bound)")
                        .strongReference(true)
                        .register(registry);
            }
        }
    }

    private double count(QueueState state, int bucket) {
        BacklogShape shape = snapshot().shape;
        return shape == null ? Double.NaN : shape.count(state, bucket);
    }

    private Snapshot snapshot() {
        Snapshot current = snapshot;
        if (current != null && isFresh(current)) {
            return current;
        }
        refreshLock.lock();
        try {
            current = snapshot;
            if (current == null || !isFresh(current)) {
                current = take();
                snapshot = current;
            }
            return current;
        } finally {
            refreshLock.unlock();
        }
    }

    private boolean isFresh(Snapshot snapshot) {
        Duration age = Duration.between(snapshot.takenAt, clock.instant());
        return !age.isNegative() && age.compareTo(refresh) < 0;
    }

    private Snapshot take() {
        Instant now = clock.instant();
        try {
            RetrySpool target = spool.get();
            if (target == null) {
                return new Snapshot(null, now);
            }
            BacklogShape shape = target.backlog();
            if (failing) {
                failing = false;
                log.info("The RetrySpool backlog shape can be read again");
            }
            return new Snapshot(shape, now);
        } catch (RuntimeException ex) {
            if (!failing) {
                failing = true;
                log.warn("Cannot read the RetrySpool backlog shape for the metrics; the {} gauges report NaN until it"
                        + " works: {}", BACKLOG, ex.toString());
            } else {
                log.debug("Cannot read the RetrySpool backlog shape for the metrics", ex);
            }
            return new Snapshot(null, now);
        }
    }

    /**
     * What the gauges show until the next refresh.
     *
     * @param shape the backlog shape, or null when it could not be read
     * @param takenAt when the snapshot was taken, by the metrics' clock
     */
    private record Snapshot(@Nullable BacklogShape shape, Instant takenAt) {
    }
}
