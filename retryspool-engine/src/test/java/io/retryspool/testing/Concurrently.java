package io.retryspool.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs test work on several threads that start together, and fails if any of them fails. */
public final class Concurrently {

    /** The work of one thread; {@code worker} is its number, from 0. */
    @FunctionalInterface
    public interface Worker {
        void run(int worker) throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Runs the work on that many threads, released at once, and waits up to 100 s for all of them.
     *
     * @param threads how many threads
     * @param work what each does
     * @throws Exception the first failure of a thread (wrapped in an ExecutionException), or a timeout
     */
    public static void run(int threads, Worker work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                Callable<Void> task = () -> {
                    start.await();
                    work.run(worker);
                    return null;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> future : futures) {
                future.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
