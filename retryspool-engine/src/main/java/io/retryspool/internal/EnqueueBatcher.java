package io.retryspool.internal;

import io.retryspool.EnqueueRequest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for single enqueues: callers that arrive while a write is in progress are stored together in
 * the next write, one transaction for all of them, and each caller returns only after that transaction
 * committed. There is no extra thread: a caller that finds no write in progress becomes a writer and writes
 * everything queued; when done it hands its turn to the next waiting caller, which writes everything queued
 * meanwhile. When a crowd waits ({@code crowd} callers or more), a caller starts a further write, up to
 * {@code maxWriters} in flight, so that the database overlaps their commits; a writer that finishes while fewer
 * wait steps down instead of handing its turn on, so that few callers still make one large group. Waiting callers
 * are parked and woken one by one ({@link LockSupport}), without a monitor per caller: a group of fifty costs its
 * writer fifty wake-ups and nothing else, and the writer hands its turn on before it wakes them, so that the next
 * group's write overlaps them.
 */
final class EnqueueBatcher {

    private static final long GATHER_NANOS = 200_000;

    private final Function<List<EnqueueRequest>, List<Outcome>> store;
    private final int maxBatch;
    private final int maxWriters;
    private final int crowd;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int activeWriters;
    private volatile int queued;
    private volatile int lastBatch = 1;

    /**
     * Creates a batcher.
     *
     * @param store stores a group of requests (in one transaction where the store has one) and returns each one's
     *              outcome, in order
     * @param maxBatch the most requests in one write
     * @param maxWriters the most writes in flight at once
     * @param crowd how many callers must wait, counting the new one, before a write starts beside one in flight
     */
    EnqueueBatcher(Function<List<EnqueueRequest>, List<Outcome>> store, int maxBatch, int maxWriters, int crowd) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.maxWriters = maxWriters;
        this.crowd = crowd;
    }

    /** Enqueues one request with whatever others are waiting; returns once it is committed. */
    String enqueue(EnqueueRequest request) {
        Pending mine = new Pending(request, Thread.currentThread());
        synchronized (this) {
            queue.add(mine);
            queued = queue.size();
            if (activeWriters == 0 || activeWriters < maxWriters && queue.size() >= crowd) {
                activeWriters++;
                mine.lead = true;
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
            write(batch);
        }
        handOver();
        batch.forEach(Pending::wake);
    }

    /**
     * Hands this writer's turn to the next waiting caller, before the written group's callers are woken: the next
     * group is gathered and written while this thread wakes them. Steps down instead when another write is in
     * flight and no crowd waits: that write's writer hands its turn on when it finishes.
     */
    private void handOver() {
        Pending next = null;
        synchronized (this) {
            if (activeWriters == 1 || queue.size() >= crowd) {
                next = firstNotLeading();
            }
            if (next == null) {
                activeWriters--;
            } else {
                next.lead = true;
            }
        }
        if (next != null) {
            LockSupport.unpark(next.caller);
        }
    }

    /** The first waiting caller that has not been given a turn to write; called under the batcher's lock. */
    private @Nullable Pending firstNotLeading() {
        for (Pending pending : queue) {
            if (!pending.lead) {
                return pending;
            }
        }
        return null;
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

    /**
     * Writes a group; every caller in it gets its outcome, its id or its failure, or all of them the failure of the
     * write (each outcome is set once). The callers are woken afterwards ({@link Pending#wake}).
     */
    private void write(List<Pending> batch) {
        List<Outcome> outcomes;
        try {
            outcomes = store.apply(batch.stream().map(pending -> pending.request).toList());
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException("the store returned " + outcomes.size() + " outcome(s) for a group of "
                        + batch.size());
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(pending -> pending.finish(null, e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).finish(outcomes.get(i).id(), outcomes.get(i).failure());
        }
    }

    /**
     * What became of one request of a group: stored under an id, or not stored for a reason (a store over several
     * databases may store some of a group and not the others).
     *
     * @param id the id it was stored under, or null
     * @param failure why it was not stored, or null
     */
    record Outcome(@Nullable String id, @Nullable RuntimeException failure) {

        static Outcome stored(String id) {
            return new Outcome(id, null);
        }

        static Outcome failed(RuntimeException failure) {
            return new Outcome(null, failure);
        }
    }

    /**
     * One caller's request, waiting to be written or to lead. {@code lead} is set by a writer (under the batcher's
     * lock) and taken by the caller; the outcome is published by the volatile write of {@code done}.
     */
    private static final class Pending {
        private final EnqueueRequest request;
        private final Thread caller;
        private volatile boolean lead;
        private volatile boolean done;
        private @Nullable String id;
        private @Nullable Throwable failure;

        Pending(EnqueueRequest request, Thread caller) {
            this.request = request;
            this.caller = caller;
        }

        /** Takes this caller's turn to write, if it has one; it may be written by then, or not yet. */
        boolean takeLead() {
            if (!lead) {
                return false;
            }
            lead = false;
            return true;
        }

        /**
         * Waits until written or until it is this caller's turn to write. An interrupt does not end the wait (the
         * request may be in a write that cannot be taken back); the interrupt status is kept for the caller.
         */
        void awaitDoneOrLead() {
            boolean interrupted = false;
            while (!done && !lead) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                caller.interrupt();
            }
        }

        /** Publishes the outcome; the caller sees it when it wakes (or before it parks). */
        void finish(@Nullable String storedId, @Nullable Throwable error) {
            this.id = storedId;
            this.failure = error;
            this.done = true;
        }

        /** Wakes the caller once its outcome is published. */
        void wake() {
            LockSupport.unpark(caller);
        }

        String id() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return Objects.requireNonNull(id);
        }
    }
}
