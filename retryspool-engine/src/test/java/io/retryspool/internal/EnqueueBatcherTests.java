package io.retryspool.internal;

import io.retryspool.EnqueueRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
            return requests.stream().map(request -> stored("id-" + body(request))).toList();
        }, 50, 2, 1);

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
            return requests.stream().map(request -> stored("ok")).toList();
        }, 10, 1, 1);

        assertThatThrownBy(() -> batcher.enqueue(request("a"))).hasMessage("database down");
        assertThat(batcher.enqueue(request("b"))).isEqualTo("ok");
    }

    @Test
    void aStoreThatReturnsTooFewOutcomesFailsEveryCallerInTheGroupInsteadOfAnsweringSomeOfThem() {
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> List.of(), 10, 1, 1);

        assertThatThrownBy(() -> batcher.enqueue(request("a")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0 outcome(s) for a group of 1");
    }

    @Test
    void aGroupOfWhichTheStoreStoredSomeFailsOnlyTheCallersOfTheOthers() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<Integer> groupSizes = new CopyOnWriteArrayList<>();
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> {
            if (body(requests.get(0)).equals("first")) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            groupSizes.add(requests.size());
            return requests.stream().map(request -> body(request).startsWith("unstored")
                    ? EnqueueBatcher.Outcome.failed(new IllegalStateException("shard b down"))
                    : stored("id-" + body(request))).toList();
        }, 10, 1, 1);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            Future<String> first = threads.submit(() -> batcher.enqueue(request("first")));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<String>> group = new ArrayList<>();
            List<Thread> callers = new CopyOnWriteArrayList<>();
            for (String body : List.of("stored-1", "unstored-1", "stored-2", "unstored-2")) {
                group.add(threads.submit(() -> {
                    callers.add(Thread.currentThread());
                    return batcher.enqueue(request(body));
                }));
            }
            while (callers.size() < 4 || callers.stream().anyMatch(caller -> caller.getState() != Thread.State.WAITING)) {
                Thread.onSpinWait();
            }
            releaseFirstWrite.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("id-first");
            assertThat(group.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("id-stored-1");
            assertThat(group.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("id-stored-2");
            assertThatThrownBy(() -> group.get(1).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("shard b down");
            assertThatThrownBy(() -> group.get(3).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("shard b down");
            assertThat(groupSizes).as("the four were written as one group").containsExactly(1, 4);
        } finally {
            releaseFirstWrite.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void withTwoWritesInFlightAFailedGroupFailsOnlyItsOwnCallers() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> {
            if (body(requests.get(0)).equals("doomed")) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
                throw new IllegalStateException("disk full");
            }
            return requests.stream().map(request -> stored("id-" + body(request))).toList();
        }, 10, 2, 1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> doomed = threads.submit(() -> batcher.enqueue(request("doomed")));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();

            Future<String> meanwhile = threads.submit(() -> batcher.enqueue(request("meanwhile")));

            assertThat(meanwhile.get(10, TimeUnit.SECONDS)).isEqualTo("id-meanwhile");
            assertThat(doomed.isDone()).isFalse();
            releaseFirstWrite.countDown();
            assertThatThrownBy(() -> doomed.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
            assertThat(batcher.enqueue(request("after"))).isEqualTo("id-after");
        } finally {
            releaseFirstWrite.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aSecondWriteStartsOnlyWhenACrowdWaitsAndItsWriterStepsDownWhenFewerWait() throws Exception {
        CountDownLatch releaseSlow = new CountDownLatch(1);
        CountDownLatch releaseCrowd = new CountDownLatch(1);
        List<List<String>> writesStarted = new CopyOnWriteArrayList<>();
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> {
            List<String> bodies = requests.stream().map(EnqueueBatcherTests::body).toList();
            writesStarted.add(bodies);
            if (bodies.contains("slow")) {
                await(releaseSlow);
            } else if (bodies.contains("crowd-3")) {
                await(releaseCrowd);
            }
            return requests.stream().map(request -> stored("id-" + body(request))).toList();
        }, 10, 2, 3);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            Future<String> slow = threads.submit(() -> batcher.enqueue(request("slow")));
            awaitWrites(writesStarted, 1);
            Future<String> crowd1 = enqueueAndPark(threads, batcher, "crowd-1");
            Future<String> crowd2 = enqueueAndPark(threads, batcher, "crowd-2");
            assertThat(writesStarted).as("two waiting callers are no crowd").hasSize(1);

            Future<String> crowd3 = threads.submit(() -> batcher.enqueue(request("crowd-3")));
            awaitWrites(writesStarted, 2);
            assertThat(writesStarted.get(1)).as("the third caller wrote the crowd beside the slow write")
                    .containsExactly("crowd-1", "crowd-2", "crowd-3");

            Future<String> late = enqueueAndPark(threads, batcher, "late");
            releaseCrowd.countDown();
            assertThat(crowd3.get(10, TimeUnit.SECONDS)).isEqualTo("id-crowd-3");
            assertThat(crowd1.get(10, TimeUnit.SECONDS)).isEqualTo("id-crowd-1");
            assertThat(crowd2.get(10, TimeUnit.SECONDS)).isEqualTo("id-crowd-2");
            Thread.sleep(300);
            assertThat(writesStarted).as("one caller waiting: the crowd's writer stepped down").hasSize(2);
            assertThat(late.isDone()).isFalse();

            releaseSlow.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("id-slow");
            assertThat(late.get(10, TimeUnit.SECONDS)).isEqualTo("id-late");
            assertThat(writesStarted.get(2)).containsExactly("late");
        } finally {
            releaseSlow.countDown();
            releaseCrowd.countDown();
            threads.shutdownNow();
        }
    }

    private static Future<String> enqueueAndPark(ExecutorService threads, EnqueueBatcher batcher, String body) {
        AtomicReference<Thread> caller = new AtomicReference<>();
        Future<String> id = threads.submit(() -> {
            caller.set(Thread.currentThread());
            return batcher.enqueue(request(body));
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (caller.get() == null || caller.get().getState() != Thread.State.WAITING || id.isDone()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(body + " never waited for a write");
            }
            Thread.onSpinWait();
        }
        return id;
    }

    private static void awaitWrites(List<List<String>> writesStarted, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writesStarted.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("write " + count + " never started: " + writesStarted);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aCallerInterruptedWhileWaitingIsStillWrittenAndKeepsItsInterrupt() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        EnqueueBatcher batcher = new EnqueueBatcher(requests -> {
            if (body(requests.get(0)).equals("slow")) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            requests.forEach(request -> written.add(body(request)));
            return requests.stream().map(request -> stored("id-" + body(request))).toList();
        }, 10, 1, 1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> slow = threads.submit(() -> batcher.enqueue(request("slow")));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> waiter = new AtomicReference<>();
            Future<Boolean> interruptedAfterwards = threads.submit(() -> {
                waiter.set(Thread.currentThread());
                String id = batcher.enqueue(request("waiting"));
                return id.equals("id-waiting") && Thread.currentThread().isInterrupted();
            });
            while (waiter.get() == null || waiter.get().getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            waiter.get().interrupt();

            releaseFirstWrite.countDown();

            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("id-slow");
            assertThat(interruptedAfterwards.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(written).containsExactly("slow", "waiting");
        } finally {
            releaseFirstWrite.countDown();
            threads.shutdownNow();
        }
    }

    private static String body(EnqueueRequest request) {
        return new String(request.bodyBytes(), StandardCharsets.UTF_8);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the write");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static EnqueueRequest request(String body) {
        return EnqueueRequest.builder().body(body.getBytes(StandardCharsets.UTF_8)).build();
    }


    private static EnqueueBatcher.Outcome stored(String id) {
        return EnqueueBatcher.Outcome.stored(id);
    }
}
