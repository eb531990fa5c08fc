package io.retryspool.internal.processing;

import io.retryspool.internal.RepeatedFailures;
import io.retryspool.internal.Threads;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
import io.retryspool.storage.PartlyWrittenException;
import io.retryspool.storage.StoreFailures;
import io.retryspool.storage.SpoolStore;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stores outcomes of processed claims: the metadata as a compare-and-set on the claim and, for deleted
 * messages, their bodies, atomically where the stores share a database. While running, outcomes submitted by
 * the workers are grouped: one flusher thread writes whatever has queued up (at most {@code maxBatch}) in one
 * round trip, so that a busy spool spends one transaction on many messages. When it is not running, outcomes
 * are written at once in the calling thread.
 *
 * <p>Outcomes are not dropped while their claim may still hold: a group that fails is written again row by row, so
 * one bad row never fails the others, and a row that cannot be written is retried with backoff (100 ms doubling to
 * 5 s) for {@code retryFor} (the lease: meanwhile the claim stays in flight and its lease is renewed once the
 * database answers again). A failure that shows the store unreachable stops the row-by-row pass at once: the rest
 * wait for the next try together. The flusher survives any {@link Throwable}.
 *
 * <p>An outcome may come with what its attempt tells about the message's destination ({@link DestinationResult}).
 * Once a group is written, the results of the outcomes actually written (not those whose claim was no longer held)
 * go to the store in one {@link io.retryspool.storage.MetaStore#recordDestinationResults} call, before the outcomes'
 * futures complete; a group without results makes no such call. Recording them is best effort: a failure is logged
 * and never fails the outcomes (the destination's next results count instead).
 */
public final class OutcomeWriter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SpoolStore store;
    private final int maxBatch;
    private final long retryForNanos;
    private final DestinationPolicy destinations;
    private final Clock clock;
    private final RepeatedFailures recordFailures = new RepeatedFailures(log,
            "Recording the results of delivery attempts for their destinations",
            "those results are not counted towards suspending or resuming the destinations");
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** Outcomes waiting for their next try; touched by the flusher thread only (and by stop once it has ended). */
    private final PriorityQueue<Pending> retries = new PriorityQueue<>(Comparator.comparingLong(p -> p.nextTryNanos));
    private volatile @Nullable Thread flusher;
    private volatile boolean running;

    /**
     * Creates a writer.
     *
     * @param store where outcomes are written and the bodies of deleted messages removed
     * @param maxBatch the most outcomes written in one round trip
     * @param retryFor how long an outcome that cannot be stored is tried again (its claim's lease)
     * @param destinations the policy that destination results are recorded under
     * @param clock the clock: destination results are recorded at its time
     */
    public OutcomeWriter(SpoolStore store, int maxBatch, Duration retryFor, DestinationPolicy destinations,
                         Clock clock) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.retryForNanos = retryFor.toNanos();
        this.destinations = destinations;
        this.clock = clock;
    }

    /**
     * Writes one outcome now, in the calling thread, once.
     *
     * @param outcome the outcome
     * @return true if it was written, false if the claim was no longer held
     */
    public boolean write(ClaimOutcome outcome) {
        return write(outcome, null);
    }

    /**
     * Writes one outcome now, in the calling thread, once, and then its destination result if it was written.
     *
     * @param outcome the outcome
     * @param result what the attempt tells about the message's destination, or null for nothing
     * @return true if it was written, false if the claim was no longer held
     */
    public boolean write(ClaimOutcome outcome, @Nullable DestinationResult result) {
        boolean written = writeBatch(List.of(outcome)).isEmpty();
        if (written && result != null) {
            record(List.of(result));
        }
        return written;
    }

    /**
     * Queues an outcome for the flusher, or writes it at once when the flusher is not running.
     *
     * @param outcome the outcome
     * @return completes with true if it was written, false if the claim was no longer held, or exceptionally once
     *         storing it has failed for good
     */
    public CompletableFuture<Boolean> submit(ClaimOutcome outcome) {
        return submit(outcome, null);
    }

    /**
     * Queues an outcome with its destination result for the flusher, or writes them at once when the flusher is not
     * running. The result is recorded only if the outcome is written.
     *
     * @param outcome the outcome
     * @param result what the attempt tells about the message's destination, or null for nothing
     * @return completes with true if it was written, false if the claim was no longer held, or exceptionally once
     *         storing it has failed for good
     */
    public CompletableFuture<Boolean> submit(ClaimOutcome outcome, @Nullable DestinationResult result) {
        if (!running) {
            try {
                return CompletableFuture.completedFuture(write(outcome, result));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Pending pending = new Pending(outcome, result, System.nanoTime() + retryForNanos);
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(write(outcome, result));
        }
        return pending.written;
    }

    /**
     * Starts the flusher thread.
     *
     * @param name the thread's name
     */
    public synchronized void start(String name) {
        if (running) {
            return;
        }
        running = true;
        Thread thread = Threads.daemon(name).newThread(this::flushLoop);
        flusher = thread;
        thread.start();
    }

    /**
     * Tells whether the flusher runs: false before start, after stop, and if its thread has died.
     *
     * @return true while outcomes are being written in the background
     */
    public boolean isRunning() {
        Thread thread = flusher;
        return running && thread != null && thread.isAlive();
    }

    /**
     * Stops the flusher thread, letting a write in progress finish (it is not interrupted), then tries once more
     * to write everything still queued or waiting for a retry.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        boolean interrupted = Threads.joinUninterruptibly(Objects.requireNonNull(flusher));
        List<Pending> rest = new ArrayList<>(retries);
        retries.clear();
        queue.drainTo(rest);
        for (int from = 0; from < rest.size(); from += maxBatch) {
            flush(rest.subList(from, Math.min(rest.size(), from + maxBatch)));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushLoop() {
        while (running) {
            try {
                Pending first = queue.poll(nanosUntilNextTry(), TimeUnit.NANOSECONDS);
                List<Pending> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                }
                long now = System.nanoTime();
                while (!retries.isEmpty() && retries.peek().nextTryNanos <= now && batch.size() < maxBatch) {
                    batch.add(retries.poll());
                }
                if (!batch.isEmpty()) {
                    flush(batch);
                }
            } catch (InterruptedException e) {
                // nobody interrupts the flusher on purpose; it ends when running is false
            } catch (Throwable e) {
                log.error("The outcome flusher failed unexpectedly; it goes on", e);
            }
        }
    }

    private long nanosUntilNextTry() {
        Pending next = retries.peek();
        return next == null ? POLL_NANOS : Math.max(0, Math.min(POLL_NANOS, next.nextTryNanos - System.nanoTime()));
    }

    /**
     * Writes a group, then records the destination results of the outcomes written and completes their futures.
     */
    private void flush(List<Pending> batch) {
        Flushed flushed = new Flushed();
        try {
            write(batch, flushed);
        } finally {
            flushed.finish();
        }
    }

    /** Writes a group; if it fails, writes its rows one by one, each failing row waiting for its next try. */
    private void write(List<Pending> batch, Flushed flushed) {
        try {
            flushed.written(batch, writeBatch(batch.stream().map(Pending::outcome).toList()));
            return;
        } catch (PartlyWrittenException e) {
            List<Pending> done = batch.stream().filter(p -> !e.unwritten().contains(p.outcome.id())).toList();
            flushed.written(done, e.stale());
            failed(batch.stream().filter(p -> e.unwritten().contains(p.outcome.id())).toList(),
                    Objects.requireNonNull(e.getCause()));
            return;
        } catch (Throwable e) {
            if (batch.size() == 1 || StoreFailures.isUnavailable(e)) {
                failed(batch, e);
                return;
            }
            log.warn("Storing a group of {} outcomes failed; storing them one by one", batch.size(), e);
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            try {
                flushed.written(List.of(pending), writeBatch(List.of(pending.outcome)));
            } catch (Throwable e) {
                if (StoreFailures.isUnavailable(e)) {
                    failed(batch.subList(i, batch.size()), e);
                    return;
                }
                failed(List.of(pending), e);
            }
        }
    }

    /** Records destination results; a failure is logged, never thrown. */
    private void record(List<DestinationResult> results) {
        try {
            store.meta().recordDestinationResults(results, destinations,
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            recordFailures.succeeded();
        } catch (Throwable e) {
            recordFailures.failed(e);
        }
    }

    /** The outcomes one flush has written, whose results are recorded and futures completed when it ends. */
    private final class Flushed {
        private final List<Pending> pendings = new ArrayList<>();
        private final List<Boolean> held = new ArrayList<>();

        /** Notes outcomes as written, except the stale ones (their claim was no longer held). */
        void written(List<Pending> written, Set<String> stale) {
            for (Pending pending : written) {
                pendings.add(pending);
                held.add(!stale.contains(pending.outcome.id()));
            }
        }

        /** Records the destination results of the outcomes written, then completes their futures. */
        void finish() {
            List<DestinationResult> results = new ArrayList<>();
            for (int i = 0; i < pendings.size(); i++) {
                DestinationResult result = pendings.get(i).result;
                if (result != null && held.get(i)) {
                    results.add(result);
                }
            }
            try {
                if (!results.isEmpty()) {
                    record(results);
                }
            } finally {
                for (int i = 0; i < pendings.size(); i++) {
                    pendings.get(i).written.complete(held.get(i));
                }
            }
        }
    }

    /**
     * A try of these outcomes failed: each is tried again after its backoff while its claim may hold, else given
     * up. Outcomes that failed together are due again together, so they are tried again as one group.
     */
    private void failed(List<Pending> pendings, Throwable error) {
        long now = System.nanoTime();
        List<String> firstFailures = new ArrayList<>();
        for (Pending pending : pendings) {
            pending.failures++;
            if (!running || now - pending.deadlineNanos >= 0) {
                pending.written.completeExceptionally(error);
                continue;
            }
            if (pending.failures == 1) {
                firstFailures.add(pending.outcome.id());
            }
            long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(20, pending.failures - 1));
            pending.nextTryNanos = now + backoff;
            retries.add(pending);
        }
        if (!firstFailures.isEmpty()) {
            log.warn("Could not store the outcomes of {} message(s) {}; trying again with backoff for up to {}: {}",
                    firstFailures.size(), firstFailures, java.time.Duration.ofNanos(retryForNanos), error.toString());
        }
    }

    private Set<String> writeBatch(List<ClaimOutcome> outcomes) {
        Set<String> stale = store.completeAndDeleteBodies(outcomes);
        for (String id : stale) {
            log.warn("Discarded the outcome of message {}: its claim is no longer held "
                    + "(the lease expired, or it was moved or deleted meanwhile)", id);
        }
        return stale;
    }

    /** An outcome on its way to the store. */
    private static final class Pending {
        private final ClaimOutcome outcome;
        private final @Nullable DestinationResult result;
        private final long deadlineNanos;
        private final CompletableFuture<Boolean> written = new CompletableFuture<>();
        private int failures;
        private long nextTryNanos;

        private Pending(ClaimOutcome outcome, @Nullable DestinationResult result, long deadlineNanos) {
            this.outcome = outcome;
            this.result = result;
            this.deadlineNanos = deadlineNanos;
        }

        ClaimOutcome outcome() {
            return outcome;
        }
    }
}
