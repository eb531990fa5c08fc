package io.retryspool.internal;

import io.retryspool.EnqueueRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnqueueBatcherTests {

    @Test
    void everyCallerGetsTheIdStoredForItsOwnRequestWhileWritesAreGrouped() throws Exception {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        AtomicInteger concurrentWrites = new AtomicInteger();
        AtomicInteger maxConcurrentWrites = new AtomicInteger();
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> {
            maxConcurrentWrites.accumulateAndGet(concurrentWrites.incrementAndGet(), Math::max);
            batchSizes.add(requests.size());
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrentWrites.decrementAndGet();
            return requests.stream().map(request -> "id-" + new String(request.bodyBytes(), StandardCharsets.UTF_8)).toList();
        }, 50, 2);

        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<List<String[]>>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            results.add(threads.submit(() -> {
                List<String[]> pairs = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    String body = thread + "-" + i;
                    pairs.add(new String[]{body, batcher.enqueue(request(body))});
                }
                return pairs;
            }));
        }
        int checked = 0;
        for (Future<List<String[]>> result : results) {
            for (String[] pair : result.get(60, TimeUnit.SECONDS)) {
                assertThat(pair[1]).isEqualTo("id-" + pair[0]);
                checked++;
            }
        }
        threads.shutdown();

        assertThat(checked).isEqualTo(2_400);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2_400);
        assertThat(batchSizes).anyMatch(size -> size > 1);
        assertThat(batchSizes).allMatch(size -> size <= 50);
        assertThat(maxConcurrentWrites.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void aFailedWriteFailsEveryCallerInItAndLaterWritesStillWork() {
        AtomicInteger calls = new AtomicInteger();
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("database down");
            }
            return requests.stream().map(request -> "ok").toList();
        }, 10, 1);

        assertThatThrownBy(() -> batcher.enqueue(request("a"))).hasMessage("database down");
        assertThat(batcher.enqueue(request("b"))).isEqualTo("ok");
    }

    private static EnqueueRequest request(String body) {
        return EnqueueRequest.builder().body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

}
