package io.retryspool.storage.jdbc;

import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The enqueue side of the two-instance tests: producer threads, alternating between two spools, each enqueuing
 * batches with {@code enqueueAll} and single messages between them.
 *
 * @param producers producer threads
 * @param batches batches per producer
 * @param batchSize messages per batch
 * @param singlesPerBatch single enqueues after each batch
 */
record ProducerLoad(int producers, int batches, int batchSize, int singlesPerBatch) {

    /** How many messages the load enqueues in all. */
    int total() {
        return producers * batches * (batchSize + singlesPerBatch);
    }

    /**
     * Runs the producers, even ones on {@code first} and odd ones on {@code second}, and waits for them.
     *
     * @return the ids of every message enqueued
     */
    Set<String> enqueue(RetrySpool first, RetrySpool second, Duration wait) throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                RetrySpool spool = p % 2 == 0 ? first : second;
                String producer = "producer-" + p;
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        ids.addAll(spool.enqueueAll(requests(producer + "-batch-" + b, batchSize)));
                        for (int s = 0; s < singlesPerBatch; s++) {
                            ids.add(spool.enqueue(Map.of("from", producer), body(producer + "-" + b + "-" + s)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(wait.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return ids;
    }

    /** {@code count} requests with a header naming {@code prefix} and distinct bodies. */
    static List<EnqueueRequest> requests(String prefix, int count) {
        List<EnqueueRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().header("from", prefix).body(body(prefix + "-" + i)).build());
        }
        return requests;
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
