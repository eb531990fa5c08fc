package io.retryspool.storage.shard;

import org.jspecify.annotations.Nullable;

/**
 * Whether a shard was reachable the last time it was used.
 *
 * @param reachable false from a failure that showed the shard's database could not be reached until the next success
 * @param lastFailure that failure's message while the shard is unreachable; null while it is reachable
 */
public record ShardStatus(boolean reachable, @Nullable String lastFailure) {
}
