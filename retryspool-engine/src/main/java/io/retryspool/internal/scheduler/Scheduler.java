package io.retryspool.internal.scheduler;

import io.retryspool.QueueState;
import io.retryspool.SpoolListener;
import io.retryspool.internal.RepeatedFailures;
import io.retryspool.internal.Threads;
import io.retryspool.internal.processing.AttemptControl;
import io.retryspool.internal.processing.LeaseReaper;
import io.retryspool.internal.processing.MessageProcessor;
import io.retryspool.internal.processing.OutcomeWriter;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.MetaStore;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Hands due messages to a bounded pool of workers. One claim thread takes messages in batches, keeping at most
 * {@code concurrency + 2 * batchSize} claimed messages in this instance (running or waiting for a worker: two
 * batches in hand, so the next claim is on its way while workers still have a full batch to take), and claims
 * again once half a batch has room; it sleeps until an enqueue in this process wakes it, a worker frees
 * capacity it was waiting for, or the poll interval passes. Every poll interval it also settles the expired
 * leases of dead instances as failed attempts ({@link LeaseReaper}). While claims are in flight their leases are
 * renewed; every minute expired archives are deleted and every hour orphaned bodies are swept. When delay warnings
 * are on, a thread of their own looks for overdue messages about once a minute ({@link DelayWarner}). Outcomes are
 * stored in groups by the {@link OutcomeWriter}'s flusher.
 *
 * <p>Every claim carries the spool's {@link DestinationPolicy}: the store holds back the messages of destinations at
 * their concurrency or rate limit or suspended. While a claim comes up short, the stored outcome of a message with a
 * destination wakes the claim thread, since it frees a slot of that destination.
 *
 * <p>No hostages: a watchdog interrupts an attempt that runs past the attempt timeout, stores it as a retryable
 * failure at once, stops renewing its lease and adds a worker so that the instance keeps its concurrency (a
 * handler that ignores the interrupt keeps only its own thread; its late outcome is discarded). Claims that wait
 * for a worker longer than a third of the lease are given back without spending their attempt, and the claim
 * thread then claims only for idle workers until a worker makes progress again, so a stuck instance does not keep
 * messages that another instance could deliver.
 *
 * <p>The engine's threads survive anything a store throws, errors included (they log, back off and go on); if one
 * dies nonetheless, {@link #isRunning()} turns false. A stop gives unstarted claims back, waits for running
 * handlers up to the grace, then interrupts them, and stores the outcomes still queued. The scheduler can be
 * started again after a stop.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);
    private static final Duration LONGEST_WATCH = Duration.ofSeconds(1);
    private static final Duration SHORTEST_WATCH = Duration.ofMillis(5);

    /**
     * Settings the scheduler needs.
     *
     * @param concurrency handler threads
     * @param batchSize messages per claim
     * @param pollInterval idle poll interval, also how often expired leases are settled
     * @param leaseTimeout lease length
     * @param attemptTimeout the longest an attempt may run; zero for no limit
     * @param instanceId lease owner
     * @param claimBounces whether BOUNCE messages are claimed (there are bounce handlers); asked at every claim,
     *                     since bounce listeners may be registered while the spool runs
     * @param workerThreads makes handler threads
     * @param clock the clock
     * @param destinations how messages with a destination are claimed, passed with every claim
     */
    public record Config(int concurrency, int batchSize, Duration pollInterval, Duration leaseTimeout,
                         Duration attemptTimeout, String instanceId, BooleanSupplier claimBounces, ThreadFactory workerThreads,
                         Clock clock, DestinationPolicy destinations) {
    }

    /**
     * How soon the claim thread looks again, without a wake-up, after a claim that found messages; each look
     * that finds nothing doubles the wait, and once it would exceed {@link #FLOWING_LIMIT} the thread waits for a
     * wake-up or the poll interval again (so a burst costs at most five extra claims, and an idle spool nothing).
     * Wake-ups alone are not enough while messages flow: a PostgreSQL listener receives another instance's
     * notifications in bursts when they come about once a millisecond or faster (pgjdbc hands them over only
     * once the stream pauses).
     */
    static final Duration FLOWING_RECHECK = Duration.ofMillis(5);

    /** The longest wait of the look-again after a claim that found messages; see {@link #FLOWING_RECHECK}. */
    static final Duration FLOWING_LIMIT = Duration.ofMillis(80);

    private final Config config;
    private final MetaStore metaStore;
    private final MessageProcessor processor;
    private final OutcomeWriter writer;
    private final InFlightClaims inFlight;
    private final LeaseReaper leaseReaper;
    private final OrphanSweeper orphanSweeper;
    private final RetentionSweeper retentionSweeper;
    private static final Set<QueueState> DELIVERABLE = EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED);
    private static final Set<QueueState> DELIVERABLE_AND_BOUNCED =
            EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.BOUNCE);
    private final DelayWarner delayWarner;
    private final ActivityLog activityLog;
    private final SpoolListener listeners;
    private @Nullable Run run;

    /**
     * Creates a stopped scheduler.
     *
     * @param config the settings
     * @param metaStore where work is claimed
     * @param processor processes claims, gives them back and settles timed-out attempts
     * @param writer stores outcomes
     * @param inFlight the claims whose leases are renewed
     * @param leaseReaper settles expired leases, every poll interval
     * @param orphanSweeper runs every {@link OrphanSweeper#INTERVAL} while the scheduler runs
     * @param retentionSweeper runs every {@link RetentionSweeper#INTERVAL} while the scheduler runs
     * @param delayWarner when enabled, is offered a run every poll interval on a thread of its own (its handlers
     *                    may be slow, and must not hold up lease renewals)
     * @param activityLog written every {@link ActivityLog#FLUSH_INTERVAL} while the scheduler runs, and once more as
     *                    it stops
     * @param listeners told when the store's notifications say that another instance changed it
     */
    public Scheduler(Config config, MetaStore metaStore, MessageProcessor processor, OutcomeWriter writer,
                     InFlightClaims inFlight, LeaseReaper leaseReaper, OrphanSweeper orphanSweeper,
                     RetentionSweeper retentionSweeper, DelayWarner delayWarner, ActivityLog activityLog,
                     SpoolListener listeners) {
        this.config = config;
        this.metaStore = metaStore;
        this.processor = processor;
        this.writer = writer;
        this.inFlight = inFlight;
        this.leaseReaper = leaseReaper;
        this.orphanSweeper = orphanSweeper;
        this.retentionSweeper = retentionSweeper;
        this.delayWarner = delayWarner;
        this.activityLog = activityLog;
        this.listeners = listeners;
    }

    private Set<QueueState> claimableStates() {
        return config.claimBounces().getAsBoolean() ? DELIVERABLE_AND_BOUNCED : DELIVERABLE;
    }

    /** Starts claiming; does nothing if running. */
    public synchronized void start() {
        if (run != null) {
            return;
        }
        run = new Run();
        run.start();
        log.info("RetrySpool instance {} started: {} workers, batches of {}, polling every {}, leases of {}, attempts"
                        + " limited to {}", config.instanceId(), config.concurrency(), config.batchSize(),
                config.pollInterval(), config.leaseTimeout(),
                config.attemptTimeout().isZero() ? "no time" : config.attemptTimeout());
    }

    /**
     * Stops claiming and waits for running handlers; does nothing if stopped.
     *
     * @param grace how long to wait before interrupting handlers
     */
    public synchronized void stop(Duration grace) {
        if (run == null) {
            return;
        }
        run.stop(grace);
        run = null;
        log.info("RetrySpool instance {} stopped", config.instanceId());
    }

    /**
     * Tells whether the scheduler runs: started, not stopped, and none of its threads has died.
     *
     * @return true between start and stop while every engine thread is alive
     */
    public synchronized boolean isRunning() {
        return run != null && run.alive();
    }

    /** Makes the claim thread look for due messages now (after an enqueue, release or recovery). */
    public void wake() {
        Run current;
        synchronized (this) {
            current = run;
        }
        if (current != null) {
            current.signal.signal();
        }
    }

    /** The next look-again wait: the first one after a claim that found messages, doubled after one that did not. */
    private static @Nullable Duration nextRecheck(@Nullable Duration current, boolean found) {
        if (found) {
            return FLOWING_RECHECK;
        }
        if (current == null) {
            return null;
        }
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(FLOWING_LIMIT) > 0 ? null : doubled;
    }

    /** How often the watchdog looks for attempts past their deadline and claims waiting too long. */
    static Duration watchPeriod(Duration leaseTimeout, Duration attemptTimeout) {
        Duration period = LONGEST_WATCH;
        Duration queueLimit = LeaseKeeper.renewInterval(leaseTimeout).dividedBy(4);
        if (queueLimit.compareTo(period) < 0) {
            period = queueLimit;
        }
        if (!attemptTimeout.isZero() && attemptTimeout.dividedBy(10).compareTo(period) < 0) {
            period = attemptTimeout.dividedBy(10);
        }
        return period.compareTo(SHORTEST_WATCH) < 0 ? SHORTEST_WATCH : period;
    }

    private Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The threads and state of one start-to-stop period. */
    private final class Run {
        private final WakeSignal signal = new WakeSignal();
        private final Semaphore capacity = new Semaphore(config.concurrency() + 2 * config.batchSize());
        private final int refillThreshold = Math.max(1, config.batchSize() / 2);
        private final ThreadPoolExecutor workers = new ThreadPoolExecutor(config.concurrency(), config.concurrency(),
                1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), config.workerThreads());
        private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                Threads.daemon("retryspool-housekeeping-" + config.instanceId()));
        private final @Nullable ScheduledExecutorService delayWarnings = delayWarner.enabled()
                ? Executors.newSingleThreadScheduledExecutor(Threads.daemon("retryspool-delay-warnings-" + config.instanceId()))
                : null;
        private final Thread claimThread = Threads.daemon("retryspool-claims-" + config.instanceId()).newThread(this::claimLoop);
        private final Set<ClaimTask> running = ConcurrentHashMap.newKeySet();
        private final long queueLimitNanos = LeaseKeeper.renewInterval(config.leaseTimeout()).toNanos();
        private volatile boolean stopping;
        private volatile boolean awaitingCapacity;
        /**
         * Whether the last claim found fewer messages than it wanted: then a destination's limit may have held some
         * back, and a stored outcome of a message with a destination wakes the claim thread (its slot is free).
         */
        private volatile boolean shortClaim;
        /** Set when waiting claims were given back because no worker took them; cleared when a worker starts one. */
        private volatile boolean prefetchPaused;
        private int abandonedWorkers;
        private MetaStore.@Nullable Subscription claimable;
        private final RepeatedFailures claimFailures = new RepeatedFailures(log, "Claiming due messages",
                "retrying every " + config.pollInterval());

        void start() {
            claimable = metaStore.subscribeToClaimable(() -> {
                signal.signal();
                listeners.changedElsewhere();
            });
            writer.start("retryspool-outcomes-" + config.instanceId());
            long renewMillis = Math.max(1, LeaseKeeper.renewInterval(config.leaseTimeout()).toMillis());
            housekeeping.scheduleWithFixedDelay(Threads.guarded("renew the leases of the messages in flight",
                            new LeaseKeeper(metaStore, inFlight, config.leaseTimeout(), config.clock())),
                    renewMillis, renewMillis, TimeUnit.MILLISECONDS);
            long watchMillis = watchPeriod(config.leaseTimeout(), config.attemptTimeout()).toMillis();
            housekeeping.scheduleWithFixedDelay(Threads.guarded("watch the running attempts", this::watch),
                    watchMillis, watchMillis, TimeUnit.MILLISECONDS);
            long retentionCheckMillis = Math.max(10, Math.min(config.pollInterval().toMillis(),
                    RetentionSweeper.INTERVAL.toMillis()));
            housekeeping.scheduleWithFixedDelay(Threads.guarded("delete expired archived messages", retentionSweeper),
                    retentionCheckMillis, retentionCheckMillis, TimeUnit.MILLISECONDS);
            long flushMillis = ActivityLog.FLUSH_INTERVAL.toMillis();
            housekeeping.scheduleWithFixedDelay(Threads.guarded("record the activity of the last seconds", activityLog),
                    flushMillis, flushMillis, TimeUnit.MILLISECONDS);
            long sweepMinutes = OrphanSweeper.INTERVAL.toMinutes();
            housekeeping.scheduleWithFixedDelay(Threads.guarded("sweep orphaned message bodies", orphanSweeper),
                    1, sweepMinutes, TimeUnit.MINUTES);
            if (delayWarnings != null) {
                long delayCheckMillis = Math.max(10, Math.min(config.pollInterval().toMillis(),
                        DelayWarner.INTERVAL.toMillis()));
                delayWarnings.scheduleWithFixedDelay(Threads.guarded("issue delay warnings", delayWarner),
                        0, delayCheckMillis, TimeUnit.MILLISECONDS);
            }
            claimThread.start();
        }

        boolean alive() {
            return claimThread.isAlive() && writer.isRunning() && !housekeeping.isShutdown();
        }

        private void claimLoop() {
            long lastReap = System.nanoTime() - config.pollInterval().toNanos();
            Duration recheck = null;
            while (!stopping) {
                try {
                    if (System.nanoTime() - lastReap >= config.pollInterval().toNanos()) {
                        lastReap = System.nanoTime();
                        if (leaseReaper.reap(now()) > 0) {
                            recheck = FLOWING_RECHECK;
                        }
                    }
                    int wanted = Math.min(capacity.availablePermits(), config.batchSize());
                    int threshold = refillThreshold;
                    if (prefetchPaused) {
                        wanted = Math.min(wanted, idleWorkers());
                        threshold = 1;
                    }
                    if (wanted < threshold) {
                        awaitingCapacity = true;
                        signal.await(config.pollInterval());
                        continue;
                    }
                    Instant now = now();
                    List<Claim> claims = metaStore.claim(new ClaimRequest(claimableStates(), now, wanted,
                            config.instanceId(), config.leaseTimeout(), config.destinations()));
                    claims.forEach(this::dispatch);
                    recheck = nextRecheck(recheck, !claims.isEmpty());
                    shortClaim = claims.size() < wanted;
                    if (shortClaim) {
                        signal.await(recheck == null || recheck.compareTo(config.pollInterval()) > 0
                                ? config.pollInterval() : recheck);
                    }
                    claimFailures.succeeded();
                } catch (Throwable e) {
                    claimFailures.failed(e);
                    signal.await(config.pollInterval());
                }
            }
        }

        private int idleWorkers() {
            return Math.max(0, config.concurrency() - running.size() - workers.getQueue().size());
        }

        private void dispatch(Claim claim) {
            capacity.acquireUninterruptibly();
            inFlight.add(claim);
            workers.execute(new ClaimTask(claim));
        }

        /** Times out attempts past their deadline and gives back claims that waited too long for a worker. */
        private void watch() {
            long now = System.nanoTime();
            if (!config.attemptTimeout().isZero()) {
                long timeout = config.attemptTimeout().toNanos();
                for (ClaimTask task : running) {
                    if (now - task.startedNanos > timeout) {
                        task.timeOut();
                    }
                }
            }
            int givenBack = 0;
            for (Runnable queued : workers.getQueue().toArray(new Runnable[0])) {
                ClaimTask task = (ClaimTask) queued;
                if (now - task.queuedNanos > queueLimitNanos && workers.remove(task) && task.giveBack()) {
                    givenBack++;
                }
            }
            if (givenBack > 0) {
                prefetchPaused = true;
                log.warn("Gave back {} claimed message(s) that waited longer than {} for one of {} busy worker(s);"
                                + " claiming only for idle workers until one makes progress", givenBack,
                        LeaseKeeper.renewInterval(config.leaseTimeout()), config.concurrency());
            }
        }

        /** Adds a worker in place of one whose attempt timed out and whose handler has not returned. */
        private synchronized void replaceWorker() {
            abandonedWorkers++;
            int size = config.concurrency() + abandonedWorkers;
            workers.setMaximumPoolSize(size);
            workers.setCorePoolSize(size);
        }

        /** A timed-out handler finally returned: its extra worker is no longer needed. */
        private synchronized void workerReturned() {
            abandonedWorkers--;
            int size = config.concurrency() + abandonedWorkers;
            workers.setCorePoolSize(size);
            workers.setMaximumPoolSize(size);
        }

        void stop(Duration grace) {
            stopping = true;
            signal.signal();
            if (Threads.joinUninterruptibly(claimThread)) {
                Thread.currentThread().interrupt();
            }
            List<Runnable> unstarted = new ArrayList<>();
            workers.getQueue().drainTo(unstarted);
            for (Runnable task : unstarted) {
                ((ClaimTask) task).giveBack();
            }
            workers.shutdown();
            if (!awaitTermination(grace)) {
                log.info("Interrupting {} handler(s) still running after the shutdown grace of {}",
                        workers.getActiveCount(), grace);
                workers.shutdownNow();
                if (!awaitTermination(INTERRUPT_WAIT)) {
                    log.warn("{} handler(s) ignored interruption; their messages are settled when their leases expire",
                            workers.getActiveCount());
                }
            }
            housekeeping.shutdownNow();
            if (delayWarnings != null) {
                delayWarnings.shutdownNow();
            }
            Objects.requireNonNull(claimable).close();
            writer.stop();
            Threads.guarded("record the activity of the last seconds", activityLog).run();
        }

        private boolean awaitTermination(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    return workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return workers.isTerminated();
                }
            }
        }

        /** The phases of a claim in this instance; each ends the claim's hold on a worker slot exactly once. */
        private enum Phase { QUEUED, RUNNING, FINISHING, GIVEN_BACK, TIMED_OUT }

        /** One claimed message waiting for, or running on, a worker. */
        private final class ClaimTask implements Runnable, AttemptControl {
            private final Claim claim;
            private final long queuedNanos = System.nanoTime();
            private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.QUEUED);
            private volatile long startedNanos;
            private volatile @Nullable Thread thread;

            ClaimTask(Claim claim) {
                this.claim = claim;
            }

            @Override
            public void run() {
                if (!phase.compareAndSet(Phase.QUEUED, Phase.RUNNING)) {
                    return;
                }
                thread = Thread.currentThread();
                startedNanos = System.nanoTime();
                running.add(this);
                prefetchPaused = false;
                CompletableFuture<Void> stored = null;
                try {
                    stored = processor.process(claim, this);
                } finally {
                    running.remove(this);
                    if (phase.get() == Phase.TIMED_OUT) {
                        workerReturned();
                    } else {
                        whenStored(stored);
                        workerFree();
                    }
                }
            }

            @Override
            public boolean stopping() {
                return stopping;
            }

            @Override
            public boolean finish() {
                return phase.compareAndSet(Phase.RUNNING, Phase.FINISHING);
            }

            /** Gives an unstarted claim back without spending its attempt; false if a worker took it meanwhile. */
            boolean giveBack() {
                if (!phase.compareAndSet(Phase.QUEUED, Phase.GIVEN_BACK)) {
                    return false;
                }
                whenStored(processor.giveBack(claim));
                workerFree();
                return true;
            }

            /** Ends an attempt past its deadline: a retryable failure now, and a new worker in its place. */
            void timeOut() {
                if (!phase.compareAndSet(Phase.RUNNING, Phase.TIMED_OUT)) {
                    return;
                }
                running.remove(this);
                replaceWorker();
                Thread worker = Objects.requireNonNull(thread);
                log.warn("Message {} attempt {} ran longer than the attempt timeout of {}; interrupting its handler on"
                                + " thread {} and starting another worker", claim.id(), claim.metadata().attempts(),
                        config.attemptTimeout(), worker.getName());
                worker.interrupt();
                whenStored(processor.timedOut(claim, config.attemptTimeout()));
                workerFree();
            }

            /**
             * The claim leaves the in-flight set (its lease is no longer renewed) once its outcome is stored; a stored
             * outcome of a message with a destination frees a slot of its destination's concurrency, so the claim
             * thread looks again if its last claim came up short.
             */
            private void whenStored(@Nullable CompletableFuture<Void> stored) {
                if (stored == null) {
                    inFlight.remove(claim);
                } else {
                    stored.whenComplete((ignored, error) -> {
                        inFlight.remove(claim);
                        if (shortClaim && claim.metadata().destination() != null) {
                            signal.signal();
                        }
                    });
                }
            }

            /** The claim no longer needs a worker (its outcome may still be on its way to the store). */
            private void workerFree() {
                capacity.release();
                if (awaitingCapacity && (prefetchPaused || capacity.availablePermits() >= refillThreshold)) {
                    awaitingCapacity = false;
                    signal.signal();
                }
            }
        }
    }
}
