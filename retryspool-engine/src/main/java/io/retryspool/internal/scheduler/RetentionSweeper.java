package io.retryspool.internal.scheduler;

import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.StoreTransactions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Deletes ARCHIVED messages, with their bodies, once they are older than the retention (by their last update), so
 * that archives do not grow without bound. Sweeps once every {@link #INTERVAL} by the spool's clock: the scheduler
 * offers it a run every poll interval, and a run that comes too soon returns at once without touching the store.
 * Deletes in batches of {@value #BATCH}, each in its own transaction
 * (metadata and bodies together where the stores share a database), and at most {@value #MAX_BATCHES_PER_RUN}
 * batches per run, so a large backlog is worked off over several runs without holding locks for long. Runs on
 * every instance; two instances deleting at once delete each message once.
 */
public final class RetentionSweeper implements Runnable {

    /** How often the sweep runs. */
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int BATCH = 500;
    static final int MAX_BATCHES_PER_RUN = 20;

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final MetaStore metaStore;
    private final DataStore dataStore;
    private final StoreTransactions transactions;
    private final Clock clock;
    private final Duration retention;
    private @Nullable Instant lastSweep;

    /**
     * Creates a sweeper.
     *
     * @param metaStore where archived metadata is deleted
     * @param dataStore where their bodies are deleted
     * @param transactions the transactions the two stores share
     * @param clock the clock
     * @param retention how long archived messages are kept; zero keeps them for ever
     */
    public RetentionSweeper(MetaStore metaStore, DataStore dataStore, StoreTransactions transactions, Clock clock,
                            Duration retention) {
        this.metaStore = metaStore;
        this.dataStore = dataStore;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
    }

    /**
     * Deletes expired archived messages now, up to {@value #MAX_BATCHES_PER_RUN} batches.
     *
     * @return how many were deleted
     */
    public int sweep() {
        if (retention.isZero()) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            List<String> ids = transactions.inTransaction(() -> {
                List<String> expired = metaStore.deleteArchived(cutoff, BATCH);
                if (!expired.isEmpty()) {
                    dataStore.deleteAll(expired);
                }
                return expired;
            });
            deleted += ids.size();
            if (ids.size() < BATCH) {
                break;
            }
        }
        return deleted;
    }

    /** Sweeps if {@link #INTERVAL} has passed on the spool's clock since the last sweep (or none ran yet). */
    @Override
    public synchronized void run() {
        Instant now = clock.instant();
        if (retention.isZero() || lastSweep != null && now.isBefore(lastSweep.plus(INTERVAL))) {
            return;
        }
        lastSweep = now;
        int deleted = sweep();
        if (deleted > 0) {
            log.info("Deleted {} archived message(s) older than the retention of {}", deleted, retention);
        }
    }
}
