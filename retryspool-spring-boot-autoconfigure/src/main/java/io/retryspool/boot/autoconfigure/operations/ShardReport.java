package io.retryspool.boot.autoconfigure.operations;

import io.retryspool.QueueCounts;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One shard of a spool over several databases, as read now: its affinity, and its message counts or why it could
 * not be read. The health indicator and the console show one per shard.
 *
 * @param name the shard's name
 * @param affinity its weight of new messages (0: draining)
 * @param counts its messages per state, estimated beyond the exact-count limit; null when it could not be read
 * @param error why it could not be read; null when it could
 */
public record ShardReport(String name, int affinity, @Nullable QueueCounts counts, @Nullable String error) {

    /**
     * Whether the shard could be read.
     *
     * @return true when it answered
     */
    public boolean reachable() {
        return error == null;
    }

    /**
     * Reads every shard, each on its own: one that cannot be read does not keep the others from being reported.
     *
     * @param store the sharded store
     * @param exactCountLimit up to how many messages per state are counted exactly
     * @return a report per shard, in the shards' order
     */
    public static List<ShardReport> read(ShardedStore store, long exactCountLimit) {
        List<ShardReport> reports = new ArrayList<>();
        for (Shard shard : store.shards()) {
            try {
                reports.add(new ShardReport(shard.name(), shard.affinity(),
                        shard.store().meta().countByState(exactCountLimit), null));
            } catch (RuntimeException e) {
                reports.add(new ShardReport(shard.name(), shard.affinity(), null, e.getMessage()));
            }
        }
        return reports;
    }
}
