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

    private final CachedReading<BacklogShape> reading;

    /**
     * Creates the gauges.
     *
     * @param spool supplies the spool (null while there is none)
     * @param refresh how old the snapshot may grow before it is taken again
     * @param clock the clock that dates snapshots
     */
    BacklogGauges(Supplier<? extends @Nullable RetrySpool> spool, Duration refresh, Clock clock) {
        this.reading = new CachedReading<>(spool, RetrySpool::backlog, refresh, clock, log,
                "the RetrySpool backlog shape");
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
        BacklogShape shape = reading.get();
        return shape == null ? Double.NaN : shape.count(state, bucket);
    }
}
