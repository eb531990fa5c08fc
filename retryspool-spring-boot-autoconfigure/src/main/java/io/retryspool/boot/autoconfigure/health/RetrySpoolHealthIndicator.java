package io.retryspool.boot.autoconfigure.health;

import io.retryspool.Count;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import io.retryspool.boot.autoconfigure.operations.ShardReport;
import io.retryspool.storage.shard.ShardedStore;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.operations.OperatorRequests;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reports a {@link RetrySpool}'s health: UP when its store answers and its workers run (or are not meant to
 * run, {@code retryspool.auto-start=false}); DOWN, with a {@code reason} detail, when the store fails (the
 * failure is the {@code error} detail) or when the workers do not run although they should.
 *
 * <p>Details: {@code counts} (messages per state, all six), {@code running} (whether the workers run) and
 * {@code oldestDueAgeSeconds} (how long the message that has waited longest for delivery has been due; 0 when
 * none is due). Every check counts the messages in the store. A store failure is logged at WARN by
 * {@link AbstractHealthIndicator}.
 *
 * <p>On a spool over several databases (shards) each shard is read on its own: {@code shards} details each one's
 * affinity and counts, or its error; {@code counts} sums the shards that answered, and {@code unreachableShards}
 * names those that did not. The spool is UP while at least one shard answers (the others go on), DOWN when none does.
 */
public class RetrySpoolHealthIndicator extends AbstractHealthIndicator {

    private final RetrySpool spool;
    private final boolean autoStart;
    private final Clock clock;
    private @Nullable ShardedStore shards;
    private long exactCountLimit = Long.MAX_VALUE;

    /**
     * Creates the indicator, measuring ages by the system clock.
     *
     * @param spool the spool
     * @param autoStart whether the workers are meant to run ({@code retryspool.auto-start})
     */
    public RetrySpoolHealthIndicator(RetrySpool spool, boolean autoStart) {
        this(spool, autoStart, Clock.systemUTC());
    }

    /**
     * Creates the indicator.
     *
     * @param spool the spool
     * @param autoStart whether the workers are meant to run ({@code retryspool.auto-start})
     * @param clock the clock that measures the oldest-due age (the spool's clock)
     */
    public RetrySpoolHealthIndicator(RetrySpool spool, boolean autoStart, Clock clock) {
        super("RetrySpool health check failed");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.autoStart = autoStart;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reports each shard of a spool over several databases.
     *
     * @param store the spool's sharded store
     * @param exactCountLimit up to how many messages per state each shard counts exactly
     * @return this indicator
     */
    public RetrySpoolHealthIndicator withShards(ShardedStore store, long exactCountLimit) {
        this.shards = Objects.requireNonNull(store, "store");
        this.exactCountLimit = exactCountLimit;
        return this;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (shards != null) {
            shardedHealthCheck(builder);
            return;
        }
        boolean running = spool.isRunning();
        QueueCounts counts;
        Optional<Instant> oldestDue;
        try {
            counts = spool.estimateCounts();
            oldestDue = spool.oldestDue();
        } catch (RuntimeException ex) {
            builder.down(ex)
                    .withDetail("reason", "the store cannot be read")
                    .withDetail("running", running);
            return;
        }
        builder.withDetail("counts", OperatorRequests.countsByName(counts));
        if (counts.anyEstimated()) {
            builder.withDetail("estimatedCounts", OperatorRequests.estimatedStates(counts));
        }
        builder
                .withDetail("running", running)
                .withDetail("oldestDueAgeSeconds", oldestDue.map(this::ageSeconds).orElse(0L));
        if (!running && autoStart) {
            builder.down().withDetail("reason", "the workers are not running although retryspool.auto-start is true");
        } else {
            builder.up();
        }
    }

    private void shardedHealthCheck(Health.Builder builder) {
        boolean running = spool.isRunning();
        List<ShardReport> reports = ShardReport.read(Objects.requireNonNull(shards), exactCountLimit);
        Map<String, Object> details = new LinkedHashMap<>();
        Map<QueueState, Count> sums = new EnumMap<>(QueueState.class);
        List<String> unreachable = new ArrayList<>();
        for (ShardReport report : reports) {
            Map<String, Object> shard = new LinkedHashMap<>();
            shard.put("affinity", report.affinity());
            if (report.reachable()) {
                QueueCounts counts = Objects.requireNonNull(report.counts());
                shard.put("counts", OperatorRequests.countsByName(counts));
                counts.byState().forEach((state, count) -> sums.merge(state, count, Count::plus));
            } else {
                shard.put("error", report.error());
                unreachable.add(report.name());
            }
            details.put(report.name(), shard);
        }
        builder.withDetail("shards", details).withDetail("running", running);
        if (unreachable.size() == reports.size()) {
            builder.down().withDetail("reason", "no shard can be reached");
            return;
        }
        builder.withDetail("counts", OperatorRequests.countsByName(new QueueCounts(sums)));
        if (!unreachable.isEmpty()) {
            builder.withDetail("unreachableShards", unreachable);
        }
        if (!running && autoStart) {
            builder.down().withDetail("reason", "the workers are not running although retryspool.auto-start is true");
        } else {
            builder.up();
        }
    }

    private long ageSeconds(Instant due) {
        return Math.max(0, Duration.between(due, clock.instant()).toSeconds());
    }
}
