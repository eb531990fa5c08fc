package io.retryspool.storage.shard;

import io.retryspool.StorageException;
import io.retryspool.storage.PlacementKey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Chooses the shard of new messages. Messages without an idempotency key go, a whole enqueue at a time, to the
 * reachable shard furthest behind its share of the messages placed so far (so the split follows the affinities
 * closely however large the enqueues, and deterministically); a shard that was unreachable takes none until
 * {@link ShardProber} finds it back, and is then let catch up by at most {@value #CATCH_UP} messages per unit of
 * affinity, so that it does not take every new message. A message with a destination goes to the shard its
 * destination hashes to, weighted by affinity (rendezvous hashing), reachable or not, so that all the destination's
 * messages are on one database and its limits hold there; one without a destination but with an idempotency key goes
 * to the shard its key hashes to likewise, so that the key means one message across all shards.
 */
final class ShardPlacement {

    /** How far, in messages per unit of affinity, a shard may fall behind the others and then catch up. */
    static final long CATCH_UP = 1000;

    private final List<Shard> shards;
    private final Map<String, ShardHealth> health;
    private final long[] placed;

    ShardPlacement(List<Shard> shards, Map<String, ShardHealth> health) {
        this.shards = List.copyOf(shards);
        this.health = health;
        this.placed = new long[shards.size()];
    }

    /** The shard for the {@code messages} new messages without a key of one enqueue. */
    synchronized Shard forMessages(int messages) {
        List<Integer> candidates = candidates(shard -> Objects.requireNonNull(health.get(shard.name())).reachable());
        if (candidates.isEmpty()) {
            candidates = candidates(shard -> true);
        }
        double lead = 0;
        for (int i : candidates) {
            lead = Math.max(lead, (double) placed[i] / shards.get(i).affinity());
        }
        int chosen = -1;
        double best = Double.MAX_VALUE;
        for (int i : candidates) {
            int affinity = shards.get(i).affinity();
            placed[i] = Math.max(placed[i], (long) Math.ceil((lead - CATCH_UP) * affinity));
            double after = (double) (placed[i] + messages) / affinity;
            if (after < best) {
                best = after;
                chosen = i;
            }
        }
        placed[chosen] += messages;
        return shards.get(chosen);
    }

    /** The shard of a message placed by this destination or idempotency key ({@link PlacementKey#value()}). */
    Shard forValue(String placedBy) {
        Shard chosen = null;
        double best = -Double.MAX_VALUE;
        for (int i : candidates(shard -> true)) {
            Shard shard = shards.get(i);
            double score = shard.affinity() / -Math.log(uniform(shard.name(), placedBy));
            if (score > best) {
                best = score;
                chosen = shard;
            }
        }
        return Objects.requireNonNull(chosen);
    }

    private List<Integer> candidates(Predicate<Shard> reachable) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            Shard shard = shards.get(i);
            if (shard.takesNewMessages() && reachable.test(shard)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty() && shards.stream().noneMatch(Shard::takesNewMessages)) {
            throw new StorageException("no shard takes new messages: every shard has affinity 0 (draining)");
        }
        return candidates;
    }

    /** A number in (0, 1) that depends only on the shard's name and the key. */
    private static double uniform(String shard, String key) {
        CRC32C crc = new CRC32C();
        crc.update((shard + '\u0000' + key).getBytes(StandardCharsets.UTF_8));
        long mixed = crc.getValue() * 0x9E3779B97F4A7C15L;
        mixed ^= mixed >>> 29;
        return ((mixed >>> 11) + 0.5) / (1L << 53);
    }
}
