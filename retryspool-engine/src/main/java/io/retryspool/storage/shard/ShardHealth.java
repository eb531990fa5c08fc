package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.storage.StoreFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a shard is reachable, as the last operations on it found: one that failed because its database could not
 * be reached marks the shard unreachable, and then new messages go to other shards, the claim loop and the sweepers
 * skip it, and operations on its messages fail at once; {@link ShardProber} tries it again after each pause, and the
 * first success marks it reachable.
 */
final class ShardHealth {

    private static final Logger log = LoggerFactory.getLogger(ShardHealth.class);

    private final String shard;
    private final Duration pause;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean unreachable;
    private volatile @Nullable String lastFailure;

    ShardHealth(String shard, Duration pause) {
        this.shard = shard;
        this.pause = pause;
    }

    /** Whether the last operation on the shard found it reachable. */
    boolean reachable() {
        return !unreachable;
    }

    /** Why the shard was last found unreachable, or null. */
    @Nullable String lastFailure() {
        return unreachable ? lastFailure : null;
    }

    /** How long after a failure the shard is tried again. */
    Duration pause() {
        return pause;
    }

    /** Starts the shard as unreachable: its store could not be built because its database did not answer. */
    void startUnreachable(@Nullable String why) {
        lastFailure = why;
        unreachable = true;
    }

    void succeeded() {
        if (unreachable) {
            unreachable = false;
            log.info("RetrySpool shard '{}' is reachable again", shard);
        }
    }

    /**
     * Records a failure; one that shows the database unreachable marks the shard so.
     *
     * @return whether the shard is now marked unreachable
     */
    boolean failed(StorageException failure) {
        if (!StoreFailures.isUnavailable(failure)) {
            return unreachable;
        }
        lastFailure = failure.getMessage();
        if (!unreachable) {
            unreachable = true;
            log.warn("RetrySpool shard '{}' cannot be reached; new messages go to the other shards, and it is tried "
                    + "again every {} ms: {}", shard, pause.toMillis(), failure.getMessage());
        }
        return true;
    }

    /** Claims the shard's next try for one prober; false while a try is already scheduled or running. */
    boolean startProbing() {
        return probing.compareAndSet(false, true);
    }

    /** Ends a try claimed by {@link #startProbing}. */
    void probeEnded() {
        probing.set(false);
    }
}
