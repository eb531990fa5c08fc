package io.retryspool.internal.scheduler;

import io.retryspool.QueueState;
import io.retryspool.internal.Threads;
import io.retryspool.internal.processing.MessageProcessor;
import io.retryspool.internal.processing.OutcomeDecider;
import io.retryspool.internal.processing.OutcomeWriter;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.MetaStore;
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
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands due messages to a bounded pool of workers. One claim thread takes messages in batches, keeping at most
 * {@code concurrency + 2 * batchSize} claimed messages in this instance (running or waiting for a worker: two
 * batches in hand, so the next claim is on its way while workers still have a full batch to take), and claims
 * again once half a batch has room; it sleeps until an enqueue in this process wakes it, a worker frees
 * capacity it was waiting for, or the poll interval passes. Every poll interval it also returns expired
 * leases of dead instances. While handlers run, their leases are renewed; every hour, orphaned bodies are
 * swept. Outcomes are stored in groups by the {@link OutcomeWriter}'s flusher. A stop gives unstarted claims
 * back, waits for running handlers up to the grace, then interrupts them, and stores the outcomes still
 * queued. The scheduler can be started again after a stop.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);

    /** Settings the scheduler needs. */
    public record Config(int concurrency, int batchSize, Duration pollInterval, Duration leaseTimeout,
                         String instanceId, boolean claimBounces, ThreadFactory workerThreads, Clock clock) {
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
    private final OutcomeDecider decider;
    private final OutcomeWriter writer;
    private final InFlightClaims inFlight;
    private final OrphanSweeper orphanSweeper;
    private final Set<QueueState> claimableStates;
    private Run run;

    /**
     * Creates a stopped scheduler.
     *
     * @param config the settings
     * @param metaStore where work is claimed
     * @param processor processes claims
     * @param decider gives claims back unprocessed at stop
     * @param writer stores given-back claims
     * @param inFlight the claims whose leases are renewed
     * @param orphanSweeper runs every {@link OrphanSweeper#INTERVAL} while the scheduler runs
     */
    public Scheduler(Config config, MetaStore metaStore, MessageProcessor processor, OutcomeDecider decider,
                     OutcomeWriter writer, InFlightClaims inFlight, OrphanSweeper orphanSweeper) {
        this.config = config;
        this.metaStore = metaStore;
        this.processor = processor;
        this.decider = decider;
        this.writer = writer;
        this.inFlight = inFlight;
        this.orphanSweeper = orphanSweeper;
        this.claimableStates = config.claimBounces()
                ? EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.BOUNCE)
                : EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED);
    }

    /** Starts claiming; does nothing if running. */
    public synchronized void start() {
        if (run != null) {
            return;
        }
        run = new Run();
        run.start();
        log.info("RetrySpool instance {} started: {} workers, batches of {}, polling every {}, leases of {}",
                config.instanceId(), config.concurrency(), config.batchSize(), config.pollInterval(), config.leaseTimeout());
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
     * Tells whether the scheduler runs.
     *
     * @return true between start and stop
     */
    public synchronized boolean isRunning() {
        return run != null;
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
    private static Duration nextRecheck(Duration current, boolean found) {
        if (found) {
            return FLOWING_RECHECK;
        }
        if (current == null) {
            return null;
        }
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(FLOWING_LIMIT) > 0 ? null : doubled;
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
                0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), config.workerThreads());
        private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                Threads.daemon("retryspool-housekeeping-" + config.instanceId()));
        private final Thread claimThread = Threads.daemon("retryspool-claims-" + config.instanceId()).newThread(this::claimLoop);
        private volatile boolean stopping;
        private volatile boolean awaitingCapacity;
        private io.retryspool.storage.MetaStore.Subscription claimable;

        void start() {
            claimable = metaStore.subscribeToClaimable(signal::signal);
            writer.start("retryspool-outcomes-" + config.instanceId());
            long renewMillis = Math.max(1, LeaseKeeper.renewInterval(config.leaseTimeout()).toMillis());
            housekeeping.scheduleWithFixedDelay(new LeaseKeeper(metaStore, inFlight, config.leaseTimeout(), config.clock()),
                    renewMillis, renewMillis, TimeUnit.MILLISECONDS);
            long sweepMinutes = OrphanSweeper.INTERVAL.toMinutes();
            housekeeping.scheduleWithFixedDelay(orphanSweeper, 1, sweepMinutes, TimeUnit.MINUTES);
            claimThread.start();
        }

        private void claimLoop() {
            long lastReap = System.nanoTime() - config.pollInterval().toNanos();
            Duration recheck = null;
            while (!stopping) {
                try {
                    if (System.nanoTime() - lastReap >= config.pollInterval().toNanos()) {
                        lastReap = System.nanoTime();
                        reapExpiredLeases();
                    }
                    int free = capacity.availablePermits();
                    if (free < refillThreshold) {
                        awaitingCapacity = true;
                        signal.await(config.pollInterval());
                        continue;
                    }
                    int wanted = Math.min(free, config.batchSize());
                    Instant now = now();
                    List<Claim> claims = metaStore.claim(new ClaimRequest(claimableStates, now, wanted,
                            config.instanceId(), now.plus(config.leaseTimeout())));
                    claims.forEach(this::dispatch);
                    recheck = nextRecheck(recheck, !claims.isEmpty());
                    if (claims.size() < wanted) {
                        signal.await(recheck == null || recheck.compareTo(config.pollInterval()) > 0
                                ? config.pollInterval() : recheck);
                    }
                } catch (RuntimeException e) {
                    log.warn("Claiming due messages failed; retrying in {}", config.pollInterval(), e);
                    signal.await(config.pollInterval());
                }
            }
        }

        private void reapExpiredLeases() {
            int released = metaStore.releaseExpiredLeases(now());
            if (released > 0) {
                log.info("Returned {} message(s) whose lease expired to the state they were claimed from", released);
            }
        }

        private void dispatch(Claim claim) {
            capacity.acquireUninterruptibly();
            inFlight.add(claim);
            workers.execute(new ClaimTask(claim));
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
                    log.warn("{} handler(s) ignored interruption; their messages return when their leases expire",
                            workers.getActiveCount());
                }
            }
            claimable.close();
            writer.stop();
            housekeeping.shutdownNow();
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

        /** One claimed message waiting for, or running on, a worker. */
        private final class ClaimTask implements Runnable {
            private final Claim claim;

            ClaimTask(Claim claim) {
                this.claim = claim;
            }

            @Override
            public void run() {
                java.util.concurrent.CompletableFuture<Void> stored = null;
                try {
                    stored = processor.process(claim, () -> stopping);
                } finally {
                    if (stored == null) {
                        inFlight.remove(claim);
                    } else {
                        stored.whenComplete((ignored, error) -> inFlight.remove(claim));
                    }
                    workerFree();
                }
            }

            void giveBack() {
                try {
                    writer.write(decider.released(claim, now()));
                } catch (RuntimeException e) {
                    log.warn("Could not give back unstarted message {}; it returns when its lease expires", claim.id(), e);
                } finally {
                    inFlight.remove(claim);
                    workerFree();
                }
            }

            /** The claim no longer needs a worker (its outcome may still be on its way to the store). */
            private void workerFree() {
                capacity.release();
                if (awaitingCapacity && capacity.availablePermits() >= refillThreshold) {
                    awaitingCapacity = false;
                    signal.signal();
                }
            }
        }
    }
}
