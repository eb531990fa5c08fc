package io.retryspool.benchmarks;

import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * What per-destination scheduling costs and what it buys, on PostgreSQL: draining over many destinations under a
 * concurrency limit against draining messages without one; small destinations served promptly while a big one waits
 * at its limit; and one dead destination (its handler never returns before the attempt timeout) beside healthy ones.
 */
final class DestinationBenchmark {

    /** Destinations of the drain run. */
    static final int DRAIN_DESTINATIONS = 1_000;
    /** The concurrency limit of every destination in the drain and dead-destination runs. */
    static final int LIMIT = 5;
    /** Small destinations of the fairness run, and messages each. */
    static final int SMALL_DESTINATIONS = 100;
    static final int SMALL_MESSAGES = 10;
    /**
     * Workers of the fairness run: enough that neither the big destination's attempts nor the small ones wait for a
     * worker (the small ones' thousand attempts of 50 ms take half a second on the 95 the big one leaves), so that its
     * limit is what holds the big one back and the claims' order is what the small ones' latency measures.
     */
    static final int FAIRNESS_WORKERS = 100;
    /**
     * What each delivery of the fairness run takes (a partner's API, say): the big destination's limit binds, and the
     * time an attempt holds its slot outside the handler (its claim, its outcome) is a small part of it.
     */
    static final Duration FAIRNESS_HANDLER_TIME = Duration.ofMillis(50);
    /** How long the big destination drains alone before the small ones are enqueued. */
    static final Duration FAIRNESS_SETTLE = Duration.ofSeconds(2);
    /** Healthy destinations of the dead-destination run. */
    static final int HEALTHY_DESTINATIONS = 100;
    /** Messages of the dead destination, all due before the healthy ones. */
    static final int DEAD_MESSAGES = 1_000;
    /** The attempt timeout of the dead-destination run; the dead destination's handler waits longer. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    static final String BIG = "big.example";
    static final String DEAD = "dead.example";
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private DestinationBenchmark() {
    }

    /**
     * Drains {@link Sizes#messages()} messages spread evenly over {@code destinations} destinations (none when 0) with
     * a no-op handler and {@link Scenarios#DRAIN_CONCURRENCY} workers, each destination limited to {@code limit}
     * attempts at a time (0: no limit), after an untimed warm-up of {@link Sizes#warmupMessages()}.
     */
    static Producers.Outcome drain(BenchmarkContext context, int destinations, int limit) throws Exception {
        Sizes sizes = context.sizes();
        LongAdder handled = new LongAdder();
        byte[] body = SpoolThroughput.body();
        IntFunction<String> destinationOf = destinations == 0 ? index -> null
                : index -> "host-" + (index % destinations) + ".example";
        try (Backend.Store store = Backend.POSTGRES.open(context);
                RetrySpool spool = store.builder()
                        .handler((messageContext, message, messageBody) -> handled.increment())
                        .concurrency(Scenarios.DRAIN_CONCURRENCY)
                        .destinationConcurrency(limit)
                        .instanceId("bench-destinations")
                        .shutdownGrace(SHUTDOWN_GRACE)
                        .build()) {
            if (sizes.warmupMessages() > 0) {
                fill(spool, sizes.warmupMessages(), destinationOf, body);
                Producers.Outcome warmup = drainUntil(spool, handled, sizes.warmupMessages(), sizes.drainTimeLimit());
                spool.stop(SHUTDOWN_GRACE);
                if (warmup.timedOut()) {
                    return warmup;
                }
                handled.reset();
            }
            fill(spool, sizes.messages(), destinationOf, body);
            return drainUntil(spool, handled, sizes.messages(), sizes.drainTimeLimit());
        }
    }

    /**
     * What the fairness run measured.
     *
     * @param smallLatency from the start of the small destinations' enqueue to each of their handler starts
     * @param smallDelivered small messages delivered
     * @param bigRate the big destination's deliveries per second over the run
     * @param bigCeiling what its limit allows: {@link #LIMIT} attempts at a time of the handler's measured mean time
     * @param bigMostAtOnce the most attempts on the big destination seen running at once
     * @param bigWaiting the big destination's messages when the run started
     */
    record FairnessOutcome(@Nullable LatencySummary smallLatency, int smallDelivered, double bigRate, double bigCeiling,
                           int bigMostAtOnce, int bigWaiting) {
    }

    /**
     * Fills {@link Sizes#messages()} messages for {@link #BIG} (limit {@link #LIMIT}), starts the spool with
     * {@link #FAIRNESS_WORKERS} workers and a handler that takes {@link #FAIRNESS_HANDLER_TIME}, lets it settle, then
     * enqueues {@link #SMALL_MESSAGES} messages for each of {@link #SMALL_DESTINATIONS} other destinations in one call
     * and times each small message from that call's start to its handler's start.
     */
    static FairnessOutcome fairness(BenchmarkContext context) throws Exception {
        Sizes sizes = context.sizes();
        int smallTotal = SMALL_DESTINATIONS * SMALL_MESSAGES;
        ConcurrentLinkedQueue<Long> smallLatencies = new ConcurrentLinkedQueue<>();
        long[] smallStart = new long[1];
        LongAdder bigHandled = new LongAdder();
        LongAdder bigHandlerNanos = new LongAdder();
        AtomicInteger bigRunning = new AtomicInteger();
        AtomicInteger bigMostAtOnce = new AtomicInteger();
        MessageHandler handler = (messageContext, message, body) -> {
            long started = System.nanoTime();
            boolean big = BIG.equals(message.metadata().destination());
            if (big) {
                bigMostAtOnce.accumulateAndGet(bigRunning.incrementAndGet(), Math::max);
            } else {
                smallLatencies.add(started - smallStart[0]);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(FAIRNESS_HANDLER_TIME.toNanos());
            } finally {
                if (big) {
                    bigRunning.decrementAndGet();
                    bigHandled.increment();
                    bigHandlerNanos.add(System.nanoTime() - started);
                }
            }
        };
        try (Backend.Store store = Backend.POSTGRES.open(context);
                RetrySpool spool = store.builder()
                        .handler(handler)
                        .concurrency(FAIRNESS_WORKERS)
                        .destinationConcurrency(LIMIT)
                        .instanceId("bench-fairness")
                        .shutdownGrace(SHUTDOWN_GRACE)
                        .build()) {
            byte[] body = SpoolThroughput.body();
            fill(spool, sizes.messages(), index -> BIG, body);
            context.log("fairness: %,d messages for %s filled (untimed)", sizes.messages(), BIG);
            long start = System.nanoTime();
            spool.start();
            Thread.sleep(FAIRNESS_SETTLE.toMillis());
            List<EnqueueRequest> small = new ArrayList<>(smallTotal);
            for (int i = 0; i < smallTotal; i++) {
                small.add(EnqueueRequest.builder().headers(SpoolThroughput.HEADERS).body(body)
                        .destination("small-" + (i % SMALL_DESTINATIONS) + ".example").build());
            }
            smallStart[0] = System.nanoTime();
            spool.enqueueAll(small);
            long deadline = System.nanoTime() + sizes.drainTimeLimit().toNanos();
            while (smallLatencies.size() < smallTotal && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            // the big destination keeps draining as long again, so that its rate is measured over a steady run
            Thread.sleep(Math.max(FAIRNESS_SETTLE.toMillis(), (System.nanoTime() - smallStart[0]) / 1_000_000));
            long elapsed = System.nanoTime() - start;
            long bigCount = bigHandled.sum();
            double meanHandlerNanos = bigCount == 0 ? Double.NaN : (double) bigHandlerNanos.sum() / bigCount;
            spool.stop(SHUTDOWN_GRACE);
            long[] latencies = smallLatencies.stream().mapToLong(Long::longValue).toArray();
            return new FairnessOutcome(latencies.length == 0 ? null : LatencySummary.of(latencies), latencies.length,
                    bigCount / (elapsed / 1e9), LIMIT / (meanHandlerNanos / 1e9), bigMostAtOnce.get(),
                    sizes.messages());
        }
    }

    /**
     * What the dead-destination run measured.
     *
     * @param healthy the healthy destinations' messages drained and the time it took
     * @param deadAttempts attempts the dead destination's messages got
     * @param suspended whether the dead destination was suspended at the end
     */
    record DeadOutcome(Producers.Outcome healthy, int deadAttempts, boolean suspended) {
    }

    /**
     * Drains {@link Sizes#messages()} messages over {@link #HEALTHY_DESTINATIONS} destinations with a no-op handler,
     * {@link Scenarios#DRAIN_CONCURRENCY} workers, a limit of {@link #LIMIT} per destination and an attempt timeout of
     * {@link #ATTEMPT_TIMEOUT}; with {@code withDead}, {@link #DEAD_MESSAGES} messages of {@link #DEAD}, whose
     * handler waits a minute, are enqueued first. Times until every healthy message is delivered.
     */
    static DeadOutcome dead(BenchmarkContext context, boolean withDead) throws Exception {
        Sizes sizes = context.sizes();
        LongAdder healthy = new LongAdder();
        AtomicInteger deadAttempts = new AtomicInteger();
        MessageHandler handler = (messageContext, message, body) -> {
            if (DEAD.equals(message.metadata().destination())) {
                deadAttempts.incrementAndGet();
                Thread.sleep(Duration.ofMinutes(1).toMillis());
            } else {
                healthy.increment();
            }
        };
        try (Backend.Store store = Backend.POSTGRES.open(context);
                RetrySpool spool = store.builder()
                        .handler(handler)
                        .concurrency(Scenarios.DRAIN_CONCURRENCY)
                        .destinationConcurrency(LIMIT)
                        .attemptTimeout(ATTEMPT_TIMEOUT)
                        .instanceId(withDead ? "bench-dead" : "bench-healthy")
                        .shutdownGrace(SHUTDOWN_GRACE)
                        .build()) {
            byte[] body = SpoolThroughput.body();
            IntFunction<String> healthyOf = index -> "healthy-" + (index % HEALTHY_DESTINATIONS) + ".example";
            if (sizes.warmupMessages() > 0) {
                fill(spool, sizes.warmupMessages(), healthyOf, body);
                drainUntil(spool, healthy, sizes.warmupMessages(), sizes.drainTimeLimit());
                spool.stop(SHUTDOWN_GRACE);
                healthy.reset();
            }
            if (withDead) {
                fill(spool, DEAD_MESSAGES, index -> DEAD, body);
            }
            fill(spool, sizes.messages(), healthyOf, body);
            Producers.Outcome outcome = drainUntil(spool, healthy, sizes.messages(), sizes.drainTimeLimit());
            boolean suspended = spool.suspendedDestinations().stream().anyMatch(status -> DEAD.equals(status.name()));
            return new DeadOutcome(outcome, deadAttempts.get(), suspended);
        }
    }

    private static void fill(RetrySpool spool, int total, IntFunction<String> destinationOf, byte[] body) {
        for (int filled = 0; filled < total; filled += SpoolThroughput.PREFILL_BATCH) {
            int count = Math.min(SpoolThroughput.PREFILL_BATCH, total - filled);
            List<EnqueueRequest> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                EnqueueRequest.Builder request = EnqueueRequest.builder().headers(SpoolThroughput.HEADERS).body(body);
                String destination = destinationOf.apply(filled + i);
                batch.add((destination == null ? request : request.destination(destination)).build());
            }
            spool.enqueueAll(batch);
        }
    }

    /** Starts the spool and times until the handler counted {@code total}, or the limit passed. */
    private static Producers.Outcome drainUntil(RetrySpool spool, LongAdder handled, int total, Duration limit)
            throws InterruptedException {
        long start = System.nanoTime();
        spool.start();
        while (handled.sum() < total && System.nanoTime() - start < limit.toNanos()) {
            Thread.sleep(2);
        }
        long elapsed = System.nanoTime() - start;
        return new Producers.Outcome(Math.min(handled.sum(), total), elapsed, handled.sum() < total);
    }
}
