package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.storage.StoreFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Tries unreachable shards again in the background, one pause after each failure, with a cheap read: no claim,
 * enqueue or sweep of the other shards ever waits for a connection to a database that may still be down. Its one
 * daemon thread ends when no shard is unreachable.
 */
final class ShardProber {

    private static final Logger log = LoggerFactory.getLogger(ShardProber.class);

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "retryspool-shard-prober");
        thread.setDaemon(true);
        return thread;
    });

    ShardProber() {
        executor.setKeepAliveTime(1, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    /** Schedules the shard's next try, unless one is already scheduled or running. */
    void tryAgainLater(Shard shard, ShardHealth health) {
        if (health.startProbing()) {
            executor.schedule(() -> tryNow(shard, health), health.pause().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Reads the shard's oldest due time: an answer, even a refusal, shows the database reachable; a failure that shows
     * it unreachable schedules the next try.
     */
    private void tryNow(Shard shard, ShardHealth health) {
        try {
            shard.store().meta().oldestDue(Instant.now());
            health.succeeded();
        } catch (StorageException e) {
            if (StoreFailures.isUnavailable(e)) {
                health.failed(e);
            } else {
                health.succeeded();
            }
        } catch (RuntimeException e) {
            log.warn("Trying RetrySpool shard '{}' again failed unexpectedly; it is tried again later", shard.name(), e);
        } finally {
            health.probeEnded();
        }
        if (!health.reachable()) {
            tryAgainLater(shard, health);
        }
    }
}
