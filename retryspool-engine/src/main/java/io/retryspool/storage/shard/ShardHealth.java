package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.storage.StoreFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a shard is reachable, as the last operations on it found: one that failed because its database could not
 * be reached marks the shard unreachable for a pause, during which new messages go to other shards and the claim loop
 * skips it; after the pause it is tried again, and the first success marks it reachable.
 */
final class ShardHealth {

    private static final Logger log = LoggerFactory.getLogger(ShardHealth.class);

    private final String shard;
    private final long pauseNanos;
    private final LongSupplier nanoTime;
    private volatile long unreachableSince;
    private volatile boolean unreachable;
    private volatile @Nullable String lastFailure;
    private volatile boolean placementTrying;
    private volatile long placementTryStarted;

    ShardHealth(String shard, Duration pause, LongSupplier nanoTime) {
        this.shard = shard;
        this.pauseNanos = pause.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether the shard is reachable, or its pause is over and it may be tried again. */
    boolean mayBeTried() {
        return !unreachable || nanoTime.getAsLong() - unreachableSince >= pauseNanos;
    }

    /** Whether the last operation on the shard found it reachable. */
    boolean reachable() {
        return !unreachable;
    }

    /** Why the shard was last found unreachable, or null. */
    @Nullable String lastFailure() {
        return unreachable ? lastFailure : null;
    }

    /** Starts the shard as unreachable: its store could not be built because its database did not answer. */
    void startUnreachable(@Nullable String why) {
        lastFailure = why;
        unreachableSince = nanoTime.getAsLong();
        unreachable = true;
    }

    /**
     * Whether new messages may be placed on the shard: it is reachable, or its pause is over and no other placement is
     * trying it already (one at a time, each for a pause at most), so that enqueues do not crowd onto a shard that may
     * still be down.
     */
    boolean takesPlacements() {
        return !unreachable || mayBeTried() && !(placementTrying && nanoTime.getAsLong() - placementTryStarted < pauseNanos);
    }

    /** Notes that new messages were placed on the shard; if it is marked unreachable, they try it again. */
    void placed() {
        if (unreachable) {
            placementTryStarted = nanoTime.getAsLong();
            placementTrying = true;
        }
    }

    void succeeded() {
        placementTrying = false;
        if (unreachable) {
            unreachable = false;
            log.info("RetrySpool shard '{}' is reachable again", shard);
        }
    }

    /** Records a failure; one that shows the database unreachable marks the shard so. */
    void failed(StorageException failure) {
        if (!StoreFailures.isUnavailable(failure)) {
            return;
        }
        lastFailure = failure.getMessage();
        unreachableSince = nanoTime.getAsLong();
        placementTrying = false;
        if (!unreachable) {
            unreachable = true;
            log.warn("RetrySpool shard '{}' cannot be reached; new messages go to the other shards, and it is tried "
                    + "again every {} ms: {}", shard, pauseNanos / 1_000_000, failure.getMessage());
        }
    }
}
