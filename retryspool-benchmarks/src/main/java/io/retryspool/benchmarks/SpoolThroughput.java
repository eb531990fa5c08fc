package io.retryspool.benchmarks;

import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/** RetrySpool's throughput measurements: single enqueues, batched enqueues, and draining a full spool. */
final class SpoolThroughput {

    /** The header every benchmark message carries (a realistic message has at least one). */
    static final Map<String, String> HEADERS = Map.of("type", "benchmark");

    /** Messages per {@code enqueueAll} call when filling a spool before a drain (not timed). */
    static final int PREFILL_BATCH = 500;

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private SpoolThroughput() {
    }

    /** A 1 KiB body of random bytes. */
    static byte[] body() {
        byte[] body = new byte[Sizes.BODY_BYTES];
        ThreadLocalRandom.current().nextBytes(body);
        return body;
    }

    /**
     * Times single {@code enqueue} calls from several producer threads on a spool that is not started, after an
     * untimed warm-up.
     */
    static Producers.Outcome enqueue(BenchmarkContext context, Backend backend, int threads) throws Exception {
        return enqueue(context, backend, threads, Backend.POSTGRES_POOL_SIZE);
    }

    /** As {@link #enqueue(BenchmarkContext, Backend, int)}, with a PostgreSQL pool of {@code poolSize} connections. */
    static Producers.Outcome enqueue(BenchmarkContext context, Backend backend, int threads, int poolSize)
            throws Exception {
        Sizes sizes = context.sizes();
        byte[] body = body();
        try (Backend.Store store = backend.open(context, poolSize, UnaryOperator.identity());
                RetrySpool spool = store.builder().instanceId("bench-enqueue").shutdownGrace(SHUTDOWN_GRACE).build()) {
            Producers.run("warmup", threads, sizes.warmupMessages(), sizes.enqueueTimeLimit(),
                    index -> spool.enqueue(HEADERS, body));
            return Producers.run("enqueue", threads, sizes.messages(), sizes.enqueueTimeLimit(),
                    index -> spool.enqueue(HEADERS, body));
        }
    }

    /**
     * Times {@code enqueueAll} calls of {@code batchSize} messages from several threads; the outcome counts
     * messages, not calls.
     */
    static Producers.Outcome enqueueAll(BenchmarkContext context, Backend backend, int threads, int batchSize)
            throws Exception {
        return enqueueAll(context, backend, threads, batchSize, Backend.POSTGRES_POOL_SIZE);
    }

    /**
     * As {@link #enqueueAll(BenchmarkContext, Backend, int, int)}, with a PostgreSQL pool of {@code poolSize}
     * connections.
     */
    static Producers.Outcome enqueueAll(BenchmarkContext context, Backend backend, int threads, int batchSize,
            int poolSize) throws Exception {
        Sizes sizes = context.sizes();
        List<EnqueueRequest> batch = requests(batchSize, body());
        try (Backend.Store store = backend.open(context, poolSize, UnaryOperator.identity());
                RetrySpool spool = store.builder().instanceId("bench-enqueue-all").shutdownGrace(SHUTDOWN_GRACE).build()) {
            Producers.run("warmup", threads, Math.max(1, sizes.warmupMessages() / batchSize), sizes.enqueueTimeLimit(),
                    index -> spool.enqueueAll(batch));
            Producers.Outcome calls = Producers.run("enqueue-all", threads, sizes.messages() / batchSize,
                    sizes.enqueueTimeLimit(), index -> spool.enqueueAll(batch));
            return new Producers.Outcome(calls.operations() * batchSize, calls.elapsedNanos(), calls.timedOut(),
                    calls.cpu());
        }
    }

    /**
     * Drains {@link Sizes#warmupMessages()} messages untimed (so the JIT has compiled the path, as for the
     * enqueue runs), then fills the stopped spool with {@link Sizes#messages()} messages (untimed, with
     * {@code enqueueAll}), starts it again and times until every state counts zero.
     */
    static Producers.Outcome drain(BenchmarkContext context, Backend backend, int concurrency) throws Exception {
        Sizes sizes = context.sizes();
        LongAdder handled = new LongAdder();
        try (Backend.Store store = backend.open(context);
                RetrySpool spool = store.builder()
                        .handler((messageContext, message, body) -> handled.increment())
                        .concurrency(concurrency)
                        .instanceId("bench-drain")
                        .shutdownGrace(SHUTDOWN_GRACE)
                        .build()) {
            List<EnqueueRequest> batch = requests(PREFILL_BATCH, body());
            if (sizes.warmupMessages() > 0) {
                Producers.Outcome warmup = timedDrain(context, spool, batch, sizes.warmupMessages(), handled);
                if (warmup.timedOut()) {
                    return warmup;
                }
                context.log("warm-up: %,d messages drained (untimed)", sizes.warmupMessages());
                spool.stop(SHUTDOWN_GRACE);
                handled.reset();
            }
            return timedDrain(context, spool, batch, sizes.messages(), handled);
        }
    }

    private static Producers.Outcome timedDrain(BenchmarkContext context, RetrySpool spool, List<EnqueueRequest> batch,
                                                int total, LongAdder handled) throws Exception {
        long prefillStart = System.nanoTime();
        for (int filled = 0; filled < total; filled += batch.size()) {
            spool.enqueueAll(filled + batch.size() <= total ? batch : batch.subList(0, total - filled));
        }
        context.log("filled %,d messages in %.1f s (untimed)", total, (System.nanoTime() - prefillStart) / 1e9);
        long start = System.nanoTime();
        long deadline = start + context.sizes().drainTimeLimit().toNanos();
        spool.start();
        // watch the handler count first (free), then confirm through counts() that nothing is left
        while (handled.sum() < total && System.nanoTime() - deadline < 0) {
            Thread.sleep(2);
        }
        boolean empty = false;
        while (!empty && System.nanoTime() - deadline < 0) {
            empty = spool.counts().values().stream().allMatch(count -> count == 0);
            if (!empty) {
                Thread.sleep(5);
            }
        }
        long elapsed = System.nanoTime() - start;
        if (!empty) {
            context.log("drain stopped at the time limit: handled %,d of %,d; counts %s", handled.sum(), total,
                    spool.counts());
        } else {
            requireNothingLeft(spool);
        }
        return new Producers.Outcome(Math.min(handled.sum(), total), elapsed, !empty);
    }

    static List<EnqueueRequest> requests(int count, byte[] body) {
        List<EnqueueRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().headers(HEADERS).body(body).build());
        }
        return List.copyOf(requests);
    }

    private static void requireNothingLeft(RetrySpool spool) {
        Map<QueueState, Long> counts = spool.counts();
        if (counts.values().stream().anyMatch(count -> count != 0)) {
            throw new IllegalStateException("spool not empty after the drain: " + counts);
        }
    }
}
