package io.retryspool.storage.shard;

import io.retryspool.storage.SelectionBatch;
import io.retryspool.storage.SelectionKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Walks a bulk operation (move or delete what a selection matches) over the shards one after the other, in their
 * order, so that every matching message is changed once: the key between batches is the last key a shard gave, which
 * names that shard; the start of the next shard is a key naming that shard and no message.
 */
final class ShardWalk {

    /** One batch of a bulk operation on one shard. */
    @FunctionalInterface
    interface Step {
        SelectionBatch apply(Shard shard, @Nullable SelectionKey after, int limit);
    }

    private ShardWalk() {
    }

    static SelectionBatch walk(Shards shards, @Nullable SelectionKey after, int limit, Step step) {
        List<Shard> all = shards.all();
        int index = 0;
        SelectionKey from = after;
        if (after != null) {
            Shard current = shards.of(after.id());
            index = current == null ? all.size() : all.indexOf(current);
            if (isStartOf(after, current)) {
                from = null;
            }
        }
        List<String> changed = new ArrayList<>();
        for (; index < all.size(); index++) {
            Shard shard = all.get(index);
            SelectionKey start = from;
            int room = limit - changed.size();
            SelectionBatch batch = shards.call(shard, () -> step.apply(shard, start, room));
            changed.addAll(batch.changed());
            if (batch.next() != null) {
                return new SelectionBatch(changed, batch.next());
            }
            from = null;
            if (changed.size() >= limit && index + 1 < all.size()) {
                return new SelectionBatch(changed, startOf(all.get(index + 1)));
            }
        }
        return new SelectionBatch(changed, null);
    }

    /** The key before every message of a shard: an id of its name and nothing else. */
    private static SelectionKey startOf(Shard shard) {
        return new SelectionKey(Instant.EPOCH, Shard.ID_SEPARATOR + shard.name());
    }

    private static boolean isStartOf(SelectionKey key, @Nullable Shard shard) {
        return shard != null && key.id().equals(Shard.ID_SEPARATOR + shard.name());
    }
}
