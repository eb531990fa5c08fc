package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.StoreUnavailableException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.PartlyWrittenException;
import io.retryspool.storage.PlacementKey;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreResult;
import io.retryspool.storage.StoreTransactions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A spool over several databases (DESIGN §9): each {@link Shard} is one complete store, and every message lives in
 * exactly one, named at the end of its id. New messages go to the reachable shards by weighted affinity, a whole
 * enqueue to one shard (so it stays atomic), messages with a destination to the shard the destination hashes to (so
 * that its limits hold on one database), others with an idempotency key to the shard the key hashes to; a shard
 * with affinity 0 takes no new messages and its others are still delivered. Operations on one message go to its
 * shard; claims take from the shards in turn; counts are sums; listings merge the shards by the sort key under one
 * cursor. A shard that cannot be reached is paused for new messages and claims (see {@link #shardStatus()}) while
 * the others go on; operations on its messages fail with a {@link StorageException} naming it. An enqueue without
 * destinations and idempotency keys that was placed on a shard found unreachable only then is placed again on another
 * ({@link #placesElsewhereAfter}). An unreachable shard is tried again in the background after each pause; until it
 * answers, nothing waits for it.
 *
 * <p>Metadata and bodies of a message are written together by its shard's store; the shards share no transaction,
 * so an enqueue does not join a caller's transaction ({@link #transactions()} is {@link StoreTransactions#NONE}).
 */
public final class ShardedStore implements SpoolStore {

    /** How long after a shard was found unreachable (or failed to answer a try) it is tried again, in the background. */
    public static final Duration UNREACHABLE_PAUSE = Duration.ofSeconds(5);

    private final Shards shards;
    private final ShardPlacement placement;
    private final ShardedMetaStore meta;
    private final ShardedDataStore bodies;

    private ShardedStore(Shards shards) {
        this.shards = shards;
        this.placement = new ShardPlacement(shards.all(), shards.health());
        this.meta = new ShardedMetaStore(shards);
        this.bodies = new ShardedDataStore(shards);
    }

    /**
     * A store over the given shards.
     *
     * @param shards the shards, at least one, with distinct names and at least one with an affinity above 0
     * @return the store
     */
    public static ShardedStore of(List<Shard> shards) {
        return of(shards, UNREACHABLE_PAUSE);
    }

    /** A store over the given shards, pausing an unreachable shard for the given time (tests). */
    static ShardedStore of(List<Shard> shards, Duration unreachablePause) {
        Arguments.requireNonNull("shards", shards);
        if (!shards.isEmpty() && shards.stream().noneMatch(Shard::takesNewMessages)) {
            throw new IllegalArgumentException("shards: every shard has affinity 0, so no shard would take new messages");
        }
        return new ShardedStore(new Shards(shards, unreachablePause));
    }

    /**
     * The shards, in the order they were given.
     *
     * @return the shards
     */
    public List<Shard> shards() {
        return shards.all();
    }

    /**
     * Whether each shard was reachable the last time it was used, by name, in the shards' order: a shard is
     * unreachable from a failure that showed its database could not be reached until the next success.
     *
     * @return the status of each shard
     */
    public Map<String, ShardStatus> shardStatus() {
        Map<String, ShardStatus> status = new LinkedHashMap<>();
        shards.health().forEach((name, health) -> status.put(name, new ShardStatus(health.reachable(), health.lastFailure())));
        return status;
    }

    @Override
    public MetaStore meta() {
        return meta;
    }

    @Override
    public DataStore bodies() {
        return bodies;
    }

    @Override
    public StoreTransactions transactions() {
        return StoreTransactions.NONE;
    }

    /** Messages with a destination or a key go to its shard; all the others of the enqueue to one shard. */
    @Override
    public List<String> placeNewMessages(List<String> uniqueIds, List<PlacementKey> placementKeys) {
        int placedTogether = (int) placementKeys.stream().filter(key -> key.value() == null).count();
        Shard shared = placedTogether > 0 ? placement.forMessages(placedTogether) : null;
        List<String> ids = new ArrayList<>(uniqueIds.size());
        for (int i = 0; i < uniqueIds.size(); i++) {
            String placedBy = placementKeys.get(i).value();
            Shard shard = placedBy == null ? Objects.requireNonNull(shared) : placement.forValue(placedBy);
            ids.add(shard.idOf(uniqueIds.get(i)));
        }
        return ids;
    }

    @Override
    public boolean placesElsewhereAfter(List<NewMessage> messages, RuntimeException failure) {
        return failure instanceof StoreUnavailableException
                && messages.stream().allMatch(message -> message.idempotencyKey() == null
                        && message.metadata().destination() == null)
                && shards.all().stream().anyMatch(shard -> shard.takesNewMessages() && shards.healthOf(shard).reachable());
    }

    /**
     * Writes each shard's messages through that shard's store, in one step per shard: the messages with idempotency
     * keys first (a retry of the enqueue cannot store them twice), the others last. When a shard fails after another's
     * part was written, the written part stays and a {@link PartlyWrittenException} gives its results and names the
     * ids that were not written.
     */
    @Override
    public List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> contents) {
        StoreResult[] results = new StoreResult[messages.size()];
        Shards.writeInTurn(shards.partsToWrite(messages), messages, results,
                (shard, indexes) -> store(shard, indexes, messages, contents, results));
        return List.of(results);
    }

    /**
     * Writes each shard's messages through that shard's store, every shard's part even after another's failed: a
     * failed shard fails only its own messages ({@link PartlyWrittenException} gives the others' results).
     */
    @Override
    public List<StoreResult> storeEachWithBodies(List<NewMessage> messages, List<byte[]> contents) {
        StoreResult[] results = new StoreResult[messages.size()];
        Shards.writeEach(shards.partsToWrite(messages), messages, results,
                (shard, indexes) -> store(shard, indexes, messages, contents, results));
        return List.of(results);
    }

    private void store(Shard shard, List<Integer> indexes, List<NewMessage> messages, List<byte[]> contents,
                       StoreResult[] results) {
        List<NewMessage> group = new ArrayList<>(indexes.size());
        List<byte[]> groupContents = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            group.add(messages.get(i));
            groupContents.add(contents.get(i));
        }
        List<StoreResult> stored = shards.call(shard, () -> shard.store().storeAllWithBodies(group, groupContents));
        for (int k = 0; k < indexes.size(); k++) {
            results[indexes.get(k)] = stored.get(k);
        }
    }

    /**
     * Writes each shard's outcomes through that shard's store; a shard that fails does not keep the others' outcomes
     * from being written ({@link PartlyWrittenException} says which were not).
     */
    @Override
    public Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes) {
        Set<String> stale = new HashSet<>();
        Set<String> unwritten = new HashSet<>();
        StorageException failure = null;
        for (Map.Entry<Shard, List<ClaimOutcome>> group : shards.byShard(outcomes, ClaimOutcome::id).entrySet()) {
            Shard shard = group.getKey();
            try {
                stale.addAll(shards.call(shard, () -> shard.store().completeAndDeleteBodies(group.getValue())));
            } catch (StorageException e) {
                failure = failure == null ? e : failure;
                group.getValue().forEach(outcome -> unwritten.add(outcome.id()));
            }
        }
        if (failure != null && unwritten.size() < outcomes.size()) {
            throw new PartlyWrittenException("wrote " + (outcomes.size() - unwritten.size()) + " of " + outcomes.size()
                    + " outcomes; the others' shard failed: " + failure.getMessage(), unwritten, stale, failure);
        }
        if (failure != null) {
            throw failure;
        }
        return stale;
    }
}
