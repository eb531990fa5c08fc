package io.retryspool.internal;

import io.retryspool.EnqueueRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for single enqueues: callers that arrive while a write is in progress are stored together in
 * the next write, one transaction for all of them, and each caller returns only after that transaction
 * committed. There is no extra thread: a caller that finds fewer than {@code maxWriters} writes in progress
 * becomes a writer and writes everything queued; when done it hands its turn to the next waiting caller,
 * which writes everything queued meanwhile. A few writes in flight at once let the database overlap their
 * commits.
 */
final class EnqueueBatcher {

    private static final long GATHER_NANOS = 200_000;

    private final Function<List<EnqueueRequest>, List<String>> store;
    private final int maxBatch;
    private final int maxWriters;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int activeWriters;
    private volatile int queued;
    private volatile int lastBatch = 1;

    /**
     * Creates a batcher.
     *
     * @param store stores a group of requests in one transaction and returns their ids in order
     * @param maxBatch the most requests in one write
     * @param maxWriters the most writes in flight at once
     */
    EnqueueBatcher(Function<List<EnqueueRequest>, List<String>> store, int maxBatch, int maxWriters) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.maxWriters = maxWriters;
    }

    /** Enqueues one request with whatever others are waiting; returns once it is committed. */
    String enqueue(EnqueueRequest request) {
        Pending mine = new Pending(request);
        synchronized (this) {
            queue.add(mine);
            queued = queue.size();
            if (activeWriters < maxWriters) {
                activeWriters++;
                mine.promote();
            }
        }
        while (true) {
            mine.awaitDoneOrLead();
            if (mine.takeLead()) {
                lead();
            } else {
                return mine.id();
            }
        }
    }

    private void lead() {
        gather();
        List<Pending> batch = new ArrayList<>();
        synchronized (this) {
            while (!queue.isEmpty() && batch.size() < maxBatch) {
                batch.add(queue.poll());
            }
            queued = queue.size();
        }
        if (!batch.isEmpty()) {
            lastBatch = batch.size();
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
        synchronized (this) {
            Pending next = queue.stream().filter(pending -> !pending.isLead()).findFirst().orElse(null);
            if (next == null) {
                activeWriters--;
            } else {
                next.promote();
            }
        }
    }

    /**
     * Gives callers that were in the previous group a moment to come back: when they all waited for one
     * commit, they enqueue their next messages at nearly the same time, and writing the first of them alone
     * would split the group. Waits at most {@link #GATHER_NANOS}, and not at all after a group of one.
     */
    private void gather() {
        int expected = Math.min(lastBatch, maxBatch);
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (queued < expected && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<String> ids = store.apply(batch.stream().map(pending -> pending.request).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).finish(ids.get(i), null);
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(pending -> pending.finish(null, e));
        }
    }

    /** One caller's request, waiting to be written or to lead. */
    private static final class Pending {
        private final EnqueueRequest request;
        private boolean lead;
        private boolean done;
        private String id;
        private Throwable failure;

        Pending(EnqueueRequest request) {
            this.request = request;
        }

        synchronized boolean isLead() {
            return lead;
        }

        /** Takes this caller's turn to write, if it has one; it may be written by then, or not yet. */
        synchronized boolean takeLead() {
            boolean had = lead;
            lead = false;
            return had;
        }

        /** Waits until written or until it is this caller's turn to write. */
        synchronized void awaitDoneOrLead() {
            boolean interrupted = false;
            while (!done && !lead) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void promote() {
            lead = true;
            notifyAll();
        }

        synchronized void finish(String storedId, Throwable error) {
            this.id = storedId;
            this.failure = error;
            this.done = true;
            notifyAll();
        }

        synchronized String id() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return id;
        }
    }
}
