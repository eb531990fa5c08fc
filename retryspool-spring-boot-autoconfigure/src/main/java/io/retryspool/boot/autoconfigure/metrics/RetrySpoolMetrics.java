package io.retryspool.boot.autoconfigure.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.retryspool.ProcessingOutcome;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.SpoolListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Micrometer meters for a {@link RetrySpool}. As a {@link SpoolListener} registered on the spool it counts
 * enqueues, delivery outcomes, handler runs and delay warnings; as a {@link MeterBinder} it registers these meters:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what it measures</th></tr>
 * <tr><td>{@code retryspool.messages}</td><td>gauge</td><td>{@code state}: {@code INCOMING}, {@code ACTIVE},
 * {@code DEFERRED}, {@code HOLD}, {@code BOUNCE}, {@code ARCHIVED} (always all six)</td>
 * <td>messages in each state</td></tr>
 * <tr><td>{@code retryspool.enqueued}</td><td>counter</td><td></td><td>messages stored by enqueue
 * (idempotent repeats not counted)</td></tr>
 * <tr><td>{@code retryspool.processed}</td><td>counter</td><td>{@code outcome}: {@code delivered},
 * {@code deferred}, {@code bounced}</td><td>delivery attempts by what became of them; a delivered or bounced
 * message counts the same whether it is then deleted or kept as ARCHIVED</td></tr>
 * <tr><td>{@code retryspool.handler}</td><td>timer</td><td>{@code handler} (the handler's name),
 * {@code outcome}: {@code success}, {@code failure}</td><td>handler runs, delivery and bounce handlers alike</td></tr>
 * <tr><td>{@code retryspool.oldest.due.age}</td><td>gauge, seconds</td><td></td>
 * <td>how long the message that has waited longest for delivery has been due; 0 when none is due</td></tr>
 * <tr><td>{@code retryspool.backlog}</td><td>gauge</td><td>{@code state}: every state but {@code ARCHIVED};
 * {@code age}: {@code 5m}, {@code 10m}, {@code 20m}, … {@code 1280m}, {@code +Inf} (always all 50 series)</td>
 * <td>the backlog shape ({@link io.retryspool.BacklogShape}): messages by state and age since enqueue, each bucket
 * up to and including its bound</td></tr>
 * <tr><td>{@code retryspool.destinations.suspended}</td><td>gauge</td><td></td><td>destinations suspended after
 * {@code retryspool.destinations.failure-threshold} failed attempts in a row: paused, or on probation after the pause
 * ({@link RetrySpool#suspendedDestinations()})</td></tr>
 * <tr><td>{@code retryspool.delay.warnings}</td><td>counter</td><td></td><td>delay warnings this instance issued:
 * messages still undelivered {@code retryspool.delay-warning} after they were enqueued (each message is counted
 * once, by the instance that warned about it)</td></tr>
 * </table>
 *
 * <p>The per-state counts are {@link RetrySpool#estimateCounts()}: exact up to {@code retryspool.exact-count-limit}
 * messages per state, PostgreSQL's planner estimate beyond (so that a gauge of ten million ARCHIVED messages costs a
 * few milliseconds, not a second); the backlog gauges' fuller buckets are estimated the same way.
 *
 * <p>The two gauges never query the store per scrape: they read a snapshot of {@link RetrySpool#estimateCounts()} and
 * {@link RetrySpool#oldestDue()} that is taken again when it is older than the refresh interval
 * ({@code retryspool.metrics.count-refresh}). While the store cannot be read, they report {@code NaN}. The
 * oldest-due age is measured from the snapshot's due time to the moment of the scrape. The backlog gauges read a
 * snapshot of {@link RetrySpool#backlog()} of their own, under the same rule: one query per refresh interval for all
 * of them, and none while no one scrapes them. The suspended-destinations gauge reads its own snapshot of
 * {@link RetrySpool#suspendedDestinations()} under the same rule.
 *
 * <p>Events heard before the binder is bound to a registry are not counted. Bound to several registries, it
 * records into each.
 */
public class RetrySpoolMetrics implements SpoolListener, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolMetrics.class);

    private static final String MESSAGES = "retryspool.messages";
    private static final String ENQUEUED = "retryspool.enqueued";
    private static final String PROCESSED = "retryspool.processed";
    private static final String HANDLER = "retryspool.handler";
    private static final String OLDEST_DUE_AGE = "retryspool.oldest.due.age";
    private static final String DELAY_WARNINGS = "retryspool.delay.warnings";
    private static final String SUSPENDED_DESTINATIONS = "retryspool.destinations.suspended";

    private final Supplier<? extends @Nullable RetrySpool> spoolSupplier;
    private final Clock clock;
    private final List<BoundMeters> bound = new CopyOnWriteArrayList<>();

    private volatile @Nullable RetrySpool spool;
    private final CachedReading<Snapshot> snapshot;
    private final BacklogGauges backlogGauges;
    private final CachedReading<Integer> suspendedDestinations;

    /**
     * Creates the metrics, measuring ages by the system clock.
     *
     * @param spool supplies the spool to count (looked up lazily, on the first scrape; may supply null while
     *              there is none)
     * @param countRefresh how old the snapshot behind the gauges may grow before it is taken again; positive
     */
    public RetrySpoolMetrics(Supplier<? extends @Nullable RetrySpool> spool, Duration countRefresh) {
        this(spool, countRefresh, Clock.systemUTC());
    }

    /**
     * Creates the metrics.
     *
     * @param spool supplies the spool to count (looked up lazily, on the first scrape; may supply null while
     *              there is none)
     * @param countRefresh how old the snapshot behind the gauges may grow before it is taken again; positive
     * @param clock the clock that dates snapshots and measures the oldest-due age (the spool's clock)
     */
    public RetrySpoolMetrics(Supplier<? extends @Nullable RetrySpool> spool, Duration countRefresh, Clock clock) {
        this.spoolSupplier = Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(countRefresh, "countRefresh");
        if (countRefresh.isNegative() || countRefresh.isZero()) {
            throw new IllegalArgumentException("countRefresh: must be positive, was " + countRefresh);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.snapshot = new CachedReading<>(this::spool, RetrySpoolMetrics::read, countRefresh, clock, log,
                "RetrySpool message counts");
        this.backlogGauges = new BacklogGauges(this::spool, countRefresh, clock);
        this.suspendedDestinations = new CachedReading<>(this::spool, target -> target.suspendedDestinations().size(),
                countRefresh, clock, log, "the suspended RetrySpool destinations");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (QueueState state : QueueState.values()) {
            Gauge.builder(MESSAGES, this, metrics -> metrics.messages(state))
                    .tag("state", state.name())
                    .description("Messages in the spool, by state")
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder(OLDEST_DUE_AGE, this, RetrySpoolMetrics::oldestDueAgeSeconds)
                .baseUnit("seconds")
                .description("How long the message that has waited longest for delivery has been due")
                .strongReference(true)
                .register(registry);
        Gauge.builder(SUSPENDED_DESTINATIONS, this, RetrySpoolMetrics::suspendedDestinations)
                .description("Destinations suspended after failing too many times in a row")
                .strongReference(true)
                .register(registry);
        Counter enqueued = Counter.builder(ENQUEUED)
                .description("Messages stored by enqueue")
                .register(registry);
        Map<ProcessingOutcome, Counter> processed = new EnumMap<>(ProcessingOutcome.class);
        for (ProcessingOutcome outcome : ProcessingOutcome.values()) {
            processed.put(outcome, Counter.builder(PROCESSED)
                    .tag("outcome", outcome.tag())
                    .description("Delivery attempts, by outcome")
                    .register(registry));
        }
        Counter delayWarnings = Counter.builder(DELAY_WARNINGS)
                .description("Messages reported as still undelivered a delay warning after they were enqueued")
                .register(registry);
        bound.add(new BoundMeters(registry, enqueued, processed, delayWarnings));
        backlogGauges.bindTo(registry);
    }

    @Override
    public void enqueued(int count) {
        for (BoundMeters meters : bound) {
            meters.enqueued.increment(count);
        }
    }

    @Override
    public void processed(ProcessingOutcome outcome) {
        for (BoundMeters meters : bound) {
            Objects.requireNonNull(meters.processed.get(outcome)).increment();
        }
    }

    @Override
    public void handlerFinished(String handlerName, boolean success, Duration duration) {
        for (BoundMeters meters : bound) {
            meters.handlerTimer(handlerName, success).record(duration);
        }
    }

    @Override
    public void delayWarned(int count) {
        for (BoundMeters meters : bound) {
            meters.delayWarnings.increment(count);
        }
    }

    private double messages(QueueState state) {
        Snapshot current = snapshot.get();
        if (current == null) {
            return Double.NaN;
        }
        return current.counts.getOrDefault(state, 0L);
    }

    private double oldestDueAgeSeconds() {
        Snapshot current = snapshot.get();
        if (current == null) {
            return Double.NaN;
        }
        if (current.oldestDue == null) {
            return 0;
        }
        long millis = Duration.between(current.oldestDue, clock.instant()).toMillis();
        return Math.max(0, millis) / 1000.0;
    }

    private double suspendedDestinations() {
        Integer suspended = suspendedDestinations.get();
        return suspended == null ? Double.NaN : suspended;
    }

    private static Snapshot read(RetrySpool spool) {
        return new Snapshot(spool.estimateCounts().values(), spool.oldestDue().orElse(null));
    }

    private @Nullable RetrySpool spool() {
        RetrySpool current = spool;
        if (current == null) {
            current = spoolSupplier.get();
            spool = current;
        }
        return current;
    }

    /**
     * What the gauges show until the next refresh.
     *
     * @param counts the counts per state
     * @param oldestDue the oldest due time, or null when nothing is due
     */
    private record Snapshot(Map<QueueState, Long> counts, @Nullable Instant oldestDue) {
    }

    /** The meters registered on one registry. */
    private static final class BoundMeters {

        private final MeterRegistry registry;
        private final Counter enqueued;
        private final Map<ProcessingOutcome, Counter> processed;
        private final Counter delayWarnings;
        private final Map<String, Timer> successTimers = new ConcurrentHashMap<>();
        private final Map<String, Timer> failureTimers = new ConcurrentHashMap<>();

        BoundMeters(MeterRegistry registry, Counter enqueued, Map<ProcessingOutcome, Counter> processed,
                    Counter delayWarnings) {
            this.registry = registry;
            this.enqueued = enqueued;
            this.processed = processed;
            this.delayWarnings = delayWarnings;
        }

        Timer handlerTimer(String handlerName, boolean success) {
            Map<String, Timer> timers = success ? successTimers : failureTimers;
            return timers.computeIfAbsent(handlerName, name -> Timer.builder(HANDLER)
                    .tag("handler", name)
                    .tag("outcome", success ? "success" : "failure")
                    .description("Handler runs, by handler and outcome")
                    .register(registry));
        }
    }
}
