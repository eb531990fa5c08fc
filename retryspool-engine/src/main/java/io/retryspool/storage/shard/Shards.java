package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.StoreUnavailableException;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.PartlyWrittenException;
import io.retryspool.storage.StoreResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The shards of a {@link ShardedStore}: finds the shard an id names, and runs operations on a shard, keeping its
 * {@link ShardHealth} and naming the shard in every storage failure.
 */
final class Shards {

    private final List<Shard> all;
    private final Map<String, Shard> byName = new LinkedHashMap<>();
    private final Map<String, ShardHealth> health = new LinkedHashMap<>();
    private final ShardProber prober = new ShardProber();

    Shards(List<Shard> shards, Duration unreachablePause) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("shards: at least one shard is needed");
        }
        this.all = List.copyOf(shards);
        for (Shard shard : all) {
            if (byName.put(shard.name(), shard) != null) {
                throw new IllegalArgumentException("shards: the name '" + shard.name() + "' is given twice");
            }
            ShardHealth shardHealth = new ShardHealth(shard.name(), unreachablePause);
            health.put(shard.name(), shardHealth);
            if (shard.store() instanceof LazyStore lazy && !lazy.isBuilt()) {
                shardHealth.startUnreachable(lazy.lastFailure());
                prober.tryAgainLater(shard, shardHealth);
            }
        }
    }

    List<Shard> all() {
        return all;
    }

    Map<String, ShardHealth> health() {
        return health;
    }

    ShardHealth healthOf(Shard shard) {
        return Objects.requireNonNull(health.get(shard.name()));
    }

    /** The shard an id names, or null when it names none of these. */
    @Nullable Shard of(@Nullable String id) {
        String name = id == null ? null : Shard.nameIn(id);
        return name == null ? null : byName.get(name);
    }

    /** The shards that are reachable, in order. */
    List<Shard> reachable() {
        List<Shard> reachable = new ArrayList<>(all.size());
        for (Shard shard : all) {
            if (healthOf(shard).reachable()) {
                reachable.add(shard);
            }
        }
        return reachable;
    }

    /** Groups ids (or things with ids) by the shard their id names; those naming no shard are left out. */
    <T> Map<Shard, List<T>> byShard(Collection<T> items, Function<T, String> id) {
        Map<Shard, List<T>> grouped = new LinkedHashMap<>();
        for (T item : items) {
            Shard shard = of(id.apply(item));
            if (shard != null) {
                grouped.computeIfAbsent(shard, ignored -> new ArrayList<>()).add(item);
            }
        }
        return grouped;
    }

    /**
     * Runs an operation on one shard; while the shard is unreachable, fails at once instead of waiting for a connection
     * that may not come ({@link ShardProber} finds out when it is back).
     */
    <T> T call(Shard shard, Supplier<T> work) {
        ShardHealth shardHealth = healthOf(shard);
        if (!shardHealth.reachable()) {
            throw new StoreUnavailableException("shard '" + shard.name() + "' is paused after it could not be reached"
                    + " (tried again every " + shardHealth.pause().toMillis() + " ms): " + shardHealth.lastFailure(), null);
        }
        try {
            T result = work.get();
            shardHealth.succeeded();
            return result;
        } catch (StorageException e) {
            if (shardHealth.failed(e)) {
                prober.tryAgainLater(shard, shardHealth);
            }
            throw named(shard, e);
        }
    }

    /**
     * Runs an operation on every reachable shard, skipping those that fail: for the work of the claim loop
     * and the sweepers, which the other shards must go on with. Throws the first failure only when every shard
     * tried failed.
     */
    <T> List<T> onReachable(Function<Shard, T> work) {
        List<T> results = new ArrayList<>();
        ShardAttempts attempts = new ShardAttempts();
        for (Shard shard : reachable()) {
            attempts.attempt(() -> results.add(call(shard, () -> work.apply(shard))));
        }
        attempts.throwIfEveryAttemptFailed();
        return results;
    }

    /**
     * New messages as the parts to write in turn ({@link #writeInTurn}): the indexes of each shard's messages, those
     * with idempotency keys first (a retry of the enqueue cannot store them twice), the others last.
     *
     * @throws IllegalArgumentException if an id names no shard of these
     */
    List<Map.Entry<Shard, List<Integer>>> partsToWrite(List<NewMessage> messages) {
        Map<Shard, List<Integer>> keyed = new LinkedHashMap<>();
        Map<Shard, List<Integer>> unkeyed = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage message = messages.get(i);
            Shard shard = of(message.metadata().id());
            if (shard == null) {
                throw new IllegalArgumentException("messages: the id " + message.metadata().id()
                        + " names no shard of this spool; ids of new messages come from placeNewMessages");
            }
            (message.idempotencyKey() != null ? keyed : unkeyed).computeIfAbsent(shard, s -> new ArrayList<>()).add(i);
        }
        List<Map.Entry<Shard, List<Integer>>> parts = new ArrayList<>(keyed.entrySet());
        parts.addAll(unkeyed.entrySet());
        return parts;
    }

    /**
     * Writes new messages part by part, each part on its shard with {@code write} (which goes through {@link #call})
     * and which sets each written message's result in {@code results}, and stops at the first part that fails. The
     * shards share no transaction: when a part fails after an earlier one was written, the written parts stay and a
     * {@link PartlyWrittenException} gives their results and names the ids of the failed part and of those not tried;
     * when the first part fails, nothing was written and its failure is thrown as it is.
     *
     * @param parts the shards and the indexes of their messages, in the order to write them
     * @param messages the new messages
     * @param results where each written message's result goes, by index
     * @param write writes one shard's part
     */
    static void writeInTurn(List<Map.Entry<Shard, List<Integer>>> parts, List<NewMessage> messages,
                            StoreResult[] results, BiConsumer<Shard, List<Integer>> write) {
        writeParts(parts, messages, results, write, false);
    }

    /**
     * Writes new messages part by part as {@link #writeInTurn} does, but tries every part even after one failed, so
     * that a failed shard fails only its own part: when some part was written, a {@link PartlyWrittenException} gives
     * the written messages' results and names the others; when none was, the first failure is thrown as it is.
     *
     * @param parts the shards and the indexes of their messages, in the order to write them
     * @param messages the new messages
     * @param results where each written message's result goes, by index
     * @param write writes one shard's part
     */
    static void writeEach(List<Map.Entry<Shard, List<Integer>>> parts, List<NewMessage> messages,
                          StoreResult[] results, BiConsumer<Shard, List<Integer>> write) {
        writeParts(parts, messages, results, write, true);
    }

    private static void writeParts(List<Map.Entry<Shard, List<Integer>>> parts, List<NewMessage> messages,
                                   StoreResult[] results, BiConsumer<Shard, List<Integer>> write,
                                   boolean afterAFailure) {
        StorageException failure = null;
        boolean[] written = new boolean[parts.size()];
        for (int part = 0; part < parts.size() && (failure == null || afterAFailure); part++) {
            try {
                write.accept(parts.get(part).getKey(), parts.get(part).getValue());
                written[part] = true;
            } catch (StorageException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure == null) {
            return;
        }
        Map<String, StoreResult> stored = new LinkedHashMap<>();
        Set<String> unwritten = new HashSet<>();
        for (int part = 0; part < parts.size(); part++) {
            for (int i : parts.get(part).getValue()) {
                String id = messages.get(i).metadata().id();
                if (written[part]) {
                    stored.put(id, Objects.requireNonNull(results[i]));
                } else {
                    unwritten.add(id);
                }
            }
        }
        if (stored.isEmpty()) {
            throw failure;
        }
        throw PartlyWrittenException.ofNewMessages("stored " + stored.size() + " of " + messages.size()
                + " new messages; the others' shard failed: " + failure.getMessage(), stored, unwritten, failure);
    }

    /** Runs an operation on every shard; the first that fails fails it, naming the shard. */
    <T> List<T> onAll(Function<Shard, T> work) {
        List<T> results = new ArrayList<>(all.size());
        for (Shard shard : all) {
            results.add(call(shard, () -> work.apply(shard)));
        }
        return results;
    }

    /**
     * The failure with the shard's name in front; failures of a more specific kind (a missing body, say), which
     * callers tell apart by their class and which name the message and so its shard, stay as they are.
     */
    private static StorageException named(Shard shard, StorageException e) {
        String prefix = "shard '" + shard.name() + "': ";
        if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
            return e;
        }
        if (e.getClass() == StoreUnavailableException.class) {
            return new StoreUnavailableException(prefix + e.getMessage(), e);
        }
        return e.getClass() == StorageException.class ? new StorageException(prefix + e.getMessage(), e) : e;
    }
}
