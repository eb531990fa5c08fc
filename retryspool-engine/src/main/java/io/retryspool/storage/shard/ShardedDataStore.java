package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.storage.StoreFailures;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of a {@link ShardedStore}: each body is in the shard its message's id names. Listing walks the shards
 * one after the other, each in its own order.
 */
final class ShardedDataStore implements DataStore {

    private final Shards shards;

    ShardedDataStore(Shards shards) {
        this.shards = shards;
    }

    private Shard shardOf(String id) {
        Shard shard = shards.of(id);
        if (shard == null) {
            throw new MissingBodyException("no body is stored for message " + id + ": its id names no shard of this spool");
        }
        return shard;
    }

    @Override
    public long store(String id, InputStream body) {
        Shard shard = shardOf(id);
        return shards.call(shard, () -> shard.store().bodies().store(id, body));
    }

    @Override
    public InputStream openReader(String id) {
        Shard shard = shardOf(id);
        return shards.call(shard, () -> shard.store().bodies().openReader(id));
    }

    @Override
    public BodyWriter openWriter(String id) {
        Shard shard = shardOf(id);
        return shards.call(shard, () -> shard.store().bodies().openWriter(id));
    }

    @Override
    public boolean delete(String id) {
        Shard shard = shards.of(id);
        return shard != null && shards.call(shard, () -> shard.store().bodies().delete(id));
    }

    @Override
    public void deleteAll(Collection<String> ids) {
        shards.byShard(ids, id -> id).forEach((shard, group) -> shards.call(shard, () -> {
            shard.store().bodies().deleteAll(group);
            return null;
        }));
    }

    /**
     * Pages through the shards in their order: after the last id of one shard come the ids of the next. A shard that
     * cannot be reached is passed over, so that one database being down does not keep the orphan sweeper, the caller,
     * from the others; the sweeper's next run covers it.
     */
    @Override
    public List<String> listIds(Instant storedBefore, @Nullable String afterId, int limit) {
        List<Shard> all = shards.all();
        Shard current = afterId == null ? all.get(0) : shards.of(afterId);
        if (current == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(limit);
        String after = afterId;
        for (int index = all.indexOf(current); index < all.size() && ids.size() < limit; index++) {
            Shard shard = all.get(index);
            String start = after;
            int room = limit - ids.size();
            try {
                ids.addAll(shards.call(shard, () -> shard.store().bodies().listIds(storedBefore, start, room)));
            } catch (StorageException e) {
                if (!StoreFailures.isUnavailable(e)) {
                    throw e;
                }
                // passed over: see above
            }
            after = null;
        }
        return ids;
    }

    @Override
    public int removeUnfinishedWrites(Instant olderThan) {
        return shards.onReachable(shard -> shard.store().bodies().removeUnfinishedWrites(olderThan)).stream()
                .mapToInt(Integer::intValue).sum();
    }
}
