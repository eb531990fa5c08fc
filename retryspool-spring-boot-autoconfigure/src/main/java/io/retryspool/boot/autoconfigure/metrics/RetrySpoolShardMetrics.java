package io.retryspool.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.shard.ShardStatus;
import io.retryspool.storage.shard.ShardedStore;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Per-shard gauges of a spool over several databases: {@code retryspool.shard.reachable} (1 while the shard answered
 * the last time it was used, 0 from a failure that showed it unreachable until it answers again) and
 * {@code retryspool.shard.affinity}, each tagged {@code shard}. The store is reached only when a gauge is read.
 */
public final class RetrySpoolShardMetrics implements MeterBinder {

    /** The gauge of whether a shard is reachable. */
    public static final String REACHABLE = "retryspool.shard.reachable";
    /** The gauge of a shard's affinity. */
    public static final String AFFINITY = "retryspool.shard.affinity";

    private final Set<String> shardNames;
    private final Supplier<SpoolStore> store;

    /**
     * Creates the gauges of the named shards.
     *
     * @param shardNames the shards ({@code retryspool.shards.*})
     * @param store the spool's store, reached when a gauge is read
     */
    public RetrySpoolShardMetrics(Set<String> shardNames, Supplier<SpoolStore> store) {
        this.shardNames = Set.copyOf(shardNames);
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : shardNames) {
            Gauge.builder(REACHABLE, this, metrics -> metrics.reachable(name))
                    .tag("shard", name).description("Whether the shard answered the last time it was used (1) or not (0)")
                    .register(registry);
            Gauge.builder(AFFINITY, this, metrics -> metrics.affinity(name))
                    .tag("shard", name).description("The shard's weight of new messages; 0 while it drains")
                    .register(registry);
        }
    }

    private double reachable(String name) {
        if (!(store.get() instanceof ShardedStore sharded)) {
            return Double.NaN;
        }
        Map<String, ShardStatus> status = sharded.shardStatus();
        ShardStatus shard = status.get(name);
        return shard == null ? Double.NaN : shard.reachable() ? 1 : 0;
    }

    private double affinity(String name) {
        if (!(store.get() instanceof ShardedStore sharded)) {
            return Double.NaN;
        }
        return sharded.shards().stream().filter(shard -> shard.name().equals(name))
                .mapToDouble(shard -> shard.affinity()).findFirst().orElse(Double.NaN);
    }
}
