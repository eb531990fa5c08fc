/**
 * A spool over several databases: {@link io.retryspool.storage.shard.ShardedStore} spreads messages over
 * {@link io.retryspool.storage.shard.Shard}s, each one complete store, by weighted affinity, and names each message's
 * shard in its id.
 */
@NullMarked
package io.retryspool.storage.shard;

import org.jspecify.annotations.NullMarked;
