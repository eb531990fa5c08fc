package io.retryspool.internal.scheduler;

import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Removes bodies whose metadata never arrived or is gone: left by a crash between writing a body and its
 * metadata, by an abandoned streaming enqueue, or by a delete that could not reach the data store. Only
 * bodies older than a grace period are considered, so an enqueue in progress is never touched. Runs on every
 * instance; deleting an orphan twice is harmless.
 */
public final class OrphanSweeper implements Runnable {

    /** How old a body without metadata must be before it is removed. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    /** How often the sweeper runs. */
    public static final Duration INTERVAL = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);
    private static final int PAGE = 500;

    private final MetaStore metaStore;
    private final DataStore dataStore;
    private final Clock clock;
    private final Duration grace;

    /**
     * Creates a sweeper.
     *
     * @param metaStore where metadata is looked up
     * @param dataStore where orphaned bodies are removed
     * @param clock the clock
     * @param grace how old an orphan must be
     */
    public OrphanSweeper(MetaStore metaStore, DataStore dataStore, Clock clock, Duration grace) {
        this.metaStore = metaStore;
        this.dataStore = dataStore;
        this.clock = clock;
        this.grace = grace;
    }

    /**
     * Removes the orphaned bodies, and leftovers of unfinished writes, now.
     *
     * @return how many were removed
     */
    public int sweep() {
        var cutoff = clock.instant().minus(grace);
        int removed = dataStore.removeUnfinishedWrites(cutoff);
        String after = null;
        while (true) {
            List<String> page = dataStore.listIds(cutoff, after, PAGE);
            if (page.isEmpty()) {
                return removed;
            }
            Set<String> existing = metaStore.existingIds(page);
            for (String id : page) {
                if (!existing.contains(id) && dataStore.delete(id)) {
                    removed++;
                }
            }
            if (page.size() < PAGE) {
                return removed;
            }
            after = page.get(page.size() - 1);
        }
    }

    @Override
    public void run() {
        int removed = sweep();
        if (removed > 0) {
            log.info("Removed {} orphaned message bod(y/ies) without metadata", removed);
        }
    }
}
