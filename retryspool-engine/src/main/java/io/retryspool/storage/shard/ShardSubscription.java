package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.storage.MetaStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A wake-up subscription of a {@link ShardedStore}: on every shard that answered when it was made, and on each other
 * shard as soon as a claim reaches it, so that a shard whose database was down when the spool started pushes its
 * wake-ups too once it is back, instead of being found by polling only.
 */
final class ShardSubscription implements MetaStore.Subscription {

    private final Shards shards;
    private final Runnable onClaimable;
    private final Map<Shard, MetaStore.Subscription> subscribed = new ConcurrentHashMap<>();
    private boolean closed;

    ShardSubscription(Shards shards, Runnable onClaimable) {
        this.shards = shards;
        this.onClaimable = onClaimable;
        shards.all().forEach(this::subscribeIfMissing);
    }

    /** Called when a shard has just answered: subscribes to it unless that is done already. */
    void answered(Shard shard) {
        if (!subscribed.containsKey(shard)) {
            subscribeIfMissing(shard);
        }
    }

    private synchronized void subscribeIfMissing(Shard shard) {
        if (closed || subscribed.containsKey(shard)) {
            return;
        }
        try {
            subscribed.put(shard, shards.call(shard, () -> shard.store().meta().subscribeToClaimable(onClaimable)));
        } catch (StorageException unreachable) {
            // tried again when a claim next reaches the shard
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        subscribed.values().forEach(MetaStore.Subscription::close);
        subscribed.clear();
    }
}
