package io.retryspool.internal.processing;

import io.retryspool.internal.Threads;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.StoreTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
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
 */
public final class OutcomeWriter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final long POLL_MILLIS = 100;

    private final MetaStore metaStore;
    private final DataStore dataStore;
    private final StoreTransactions transactions;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile Thread flusher;
    private volatile boolean running;

    /**
     * Creates a writer.
     *
     * @param metaStore where metadata goes
     * @param dataStore where bodies of deleted messages are removed from
     * @param transactions groups the metadata write and the bodies' deletion where the stores share a database
     * @param maxBatch the most outcomes written in one round trip
     */
    public OutcomeWriter(MetaStore metaStore, DataStore dataStore, StoreTransactions transactions, int maxBatch) {
        this.metaStore = metaStore;
        this.dataStore = dataStore;
        this.transactions = transactions;
        this.maxBatch = maxBatch;
    }

    /**
     * Writes one outcome now, in the calling thread.
     *
     * @param outcome the outcome
     * @return true if it was written, false if the claim was no longer held
     */
    public boolean write(ClaimOutcome outcome) {
        return writeBatch(List.of(outcome)).isEmpty();
    }

    /**
     * Queues an outcome for the flusher, or writes it at once when the flusher is not running.
     *
     * @param outcome the outcome
     * @return completes with true if it was written, false if the claim was no longer held, or exceptionally
     */
    public CompletableFuture<Boolean> submit(ClaimOutcome outcome) {
        if (!running) {
            try {
                return CompletableFuture.completedFuture(write(outcome));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Pending pending = new Pending(outcome, new CompletableFuture<>());
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(write(outcome));
        }
        return pending.written;
    }

    /** Starts the flusher thread. */
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
     * Stops the flusher thread, letting a write in progress finish (it is not interrupted), then writes
     * everything still queued.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        boolean interrupted = Threads.joinUninterruptibly(flusher);
        flushQueued();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushLoop() {
        while (running) {
            try {
                Pending first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    List<Pending> batch = new ArrayList<>();
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                    flush(batch);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void flushQueued() {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (int from = 0; from < rest.size(); from += maxBatch) {
            flush(rest.subList(from, Math.min(rest.size(), from + maxBatch)));
        }
    }

    private void flush(List<Pending> batch) {
        try {
            Set<String> stale = writeBatch(batch.stream().map(Pending::outcome).toList());
            for (Pending pending : batch) {
                pending.written.complete(!stale.contains(pending.outcome.id()));
            }
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.written.completeExceptionally(e));
        }
    }

    private Set<String> writeBatch(List<ClaimOutcome> outcomes) {
        Set<String> stale = metaStore.completeAndDeleteBodies(outcomes, dataStore, transactions);
        for (String id : stale) {
            log.warn("Discarded the outcome of message {}: its claim is no longer held "
                    + "(the lease expired, or it was moved or deleted meanwhile)", id);
        }
        return stale;
    }

    private record Pending(ClaimOutcome outcome, CompletableFuture<Boolean> written) {
    }
}
