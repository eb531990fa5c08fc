package io.retryspool.storage.shard;

import io.retryspool.checks.Arguments;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreFailures;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One database of a spool over several: a complete store (metadata and bodies, its own migrations, its own claims),
 * its name, which every id of its messages ends with ({@code 0193a1f2-…-2d4e5f6a7b8c.eu1}: the unique part first, so
 * that ids of different shards order by their unique part under any collation), and its affinity, the weight with
 * which new messages go to it. Affinity 0 drains the shard: no new messages, the rest delivered.
 *
 * @param name the shard's name: 1 to {@value #MAX_NAME_LENGTH} characters of {@code a-z}, {@code 0-9}, {@code _} and
 *             {@code -}, starting with a letter or digit
 * @param store the shard's store
 * @param affinity the weight of new messages, 0 to {@value #MAX_AFFINITY}
 */
public record Shard(String name, SpoolStore store, int affinity) {

    /** The longest shard name: ids are at most 64 characters, 36 of them the unique part. */
    public static final int MAX_NAME_LENGTH = 20;
    /** The largest affinity. */
    public static final int MAX_AFFINITY = 1000;
    /** What separates the rest of an id from the shard's name at its end. */
    public static final char ID_SEPARATOR = '.';

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0," + (MAX_NAME_LENGTH - 1) + "}");

    /** Checks the shard. */
    public Shard {
        requireValid(name, affinity);
        Arguments.requireNonNull("store", store);
    }

    /**
     * A shard whose store is built now if its database answers; if it does not (no connection can be had), the shard
     * starts unreachable, so that the spool starts with the other shards, and its store is built on its first use
     * after its database answers. Other failures (a database that is not supported, a failed migration) are thrown.
     *
     * @param name the shard's name
     * @param affinity the weight of new messages
     * @param build builds the shard's store, connecting to its database
     * @return the shard
     */
    public static Shard connecting(String name, int affinity, java.util.function.Supplier<SpoolStore> build) {
        requireValid(name, affinity);
        Arguments.requireNonNull("build", build);
        try {
            return new Shard(name, build.get(), affinity);
        } catch (RuntimeException e) {
            if (!StoreFailures.isUnavailable(e)) {
                throw e;
            }
            org.slf4j.LoggerFactory.getLogger(Shard.class).warn("RetrySpool shard '{}' cannot be reached at start; the "
                    + "spool starts with the other shards and tries it again: {}", name, e.getMessage());
            return new Shard(name, new LazyStore(name, build, e.getMessage()), affinity);
        }
    }

    /**
     * Checks a shard's name and affinity, before its store is built.
     *
     * @param name the name
     * @param affinity the affinity
     * @throws IllegalArgumentException naming the argument that is not valid
     */
    public static void requireValid(String name, int affinity) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a shard name (1 to " + MAX_NAME_LENGTH
                    + " characters of a-z, 0-9, _ and -, starting with a letter or digit)");
        }
        if (affinity < 0 || affinity > MAX_AFFINITY) {
            throw new IllegalArgumentException("affinity: must be between 0 and " + MAX_AFFINITY + ", was " + affinity);
        }
    }

    /**
     * The name of the shard an id names, or null when the id names none.
     *
     * @param id a message id
     * @return the shard's name, or null
     */
    public static @Nullable String nameIn(String id) {
        int separator = id.lastIndexOf(ID_SEPARATOR);
        return separator >= 0 && separator < id.length() - 1 ? id.substring(separator + 1) : null;
    }

    /** The id of a message of this shard. */
    String idOf(String uniqueId) {
        return uniqueId + ID_SEPARATOR + name;
    }

    /** Whether the shard takes new messages. */
    boolean takesNewMessages() {
        return affinity > 0;
    }
}
