package io.retryspool.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs an operation from several threads until a number of operations is reached or a time limit passes,
 * whichever comes first, and times it from the moment all threads are released together to the moment the
 * last one finishes.
 */
final class Producers {

    private Producers() {
    }

    /** One operation; {@code index} is unique across threads, from 0 up. */
    @FunctionalInterface
    interface Operation {
        void run(long index) throws Exception;
    }

    /**
     * What a timed run did.
     *
     * @param operations operations that completed
     * @param elapsedNanos from release to the last thread finishing
     * @param timedOut whether the time limit stopped it before all operations ran
     * @param cpu the CPU time it cost, or null where not measured
     */
    record Outcome(long operations, long elapsedNanos, boolean timedOut, @Nullable CpuUse cpu) {

        /** A run whose CPU time was not measured. */
        Outcome(long operations, long elapsedNanos, boolean timedOut) {
            this(operations, elapsedNanos, timedOut, null);
        }

        /** Operations per second. */
        double perSecond() {
            return operations / (elapsedNanos / 1e9);
        }

        /** Elapsed seconds. */
        double seconds() {
            return elapsedNanos / 1e9;
        }

        /** Several runs as one: their operations and times added up, timed out if any was; CPU time not kept. */
        static Outcome sum(List<Outcome> runs) {
            return new Outcome(runs.stream().mapToLong(Outcome::operations).sum(),
                    runs.stream().mapToLong(Outcome::elapsedNanos).sum(), runs.stream().anyMatch(Outcome::timedOut));
        }
    }

    /**
     * Runs the operation and measures the CPU time it cost ({@link CpuUse}).
     *
     * @param threads the number of threads
     * @param total the number of operations to run in all
     * @param limit the longest the run may take
     * @param operation the operation
     * @return what was done
     * @throws Exception the first exception an operation threw; the other threads stop at their next operation
     */
    static Outcome run(String name, int threads, long total, Duration limit, Operation operation) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch release = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    release.await();
                    while (failure.get() == null && System.nanoTime() - deadline[0] < 0) {
                        long index = next.getAndIncrement();
                        if (index >= total) {
                            return;
                        }
                        operation.run(index);
                        done.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, name + "-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        CpuUse.Reading cpu = CpuUse.read();
        long start = System.nanoTime();
        deadline[0] = start + limit.toNanos();
        release.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Outcome(done.get(), elapsed, done.get() < total, cpu.since());
    }
}
