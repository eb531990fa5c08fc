package io.retryspool.benchmarks;

import io.retryspool.RetrySpool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * Latency from {@code enqueue} returning to the handler starting, under a steady offered load from one thread.
 * Each message carries its sequence number in the {@value #SEQUENCE_HEADER} header; the producer notes when each
 * {@code enqueue} returned, the handler notes (first thing) when it started, and the two are matched by sequence
 * number afterwards. A handler that starts before the producer has noted the return counts as 0.
 */
final class LatencyBenchmark {

    /** The header holding a message's sequence number. */
    static final String SEQUENCE_HEADER = "bench-seq";

    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final long NOT_HANDLED = Long.MIN_VALUE;

    private LatencyBenchmark() {
    }

    /**
     * What a latency run measured.
     *
     * @param summary the latencies of the recorded messages (after the warm-up); null when none was handled
     * @param offered messages sent in the recorded window
     * @param handled of them, how many reached the handler in time
     * @param achievedRate the offered rate actually reached in the recorded window, messages per second
     */
    record Outcome(@Nullable LatencySummary summary, int offered, int handled, double achievedRate) {
    }

    /** Measures one spool that enqueues and handles in this JVM. */
    static Outcome inProcess(BenchmarkContext context, Backend backend) throws Exception {
        Sizes sizes = context.sizes();
        int warmup = count(sizes.latencyWarmup(), sizes.latencyRate());
        int recorded = count(sizes.latencyDuration(), sizes.latencyRate());
        int total = warmup + recorded;
        AtomicLongArray started = notHandled(total);
        AtomicInteger handled = new AtomicInteger();
        try (Backend.Store store = backend.open(context);
                RetrySpool spool = store.builder()
                        .handler((messageContext, message, body) -> {
                            long now = System.nanoTime();
                            started.set(Integer.parseInt(message.metadata().headers().get(SEQUENCE_HEADER)), now);
                            handled.incrementAndGet();
                        })
                        .instanceId("bench-latency")
                        .shutdownGrace(Duration.ofSeconds(5))
                        .build()) {
            spool.start();
            Thread.sleep(SETTLE.toMillis());
            long[] returned = new long[total];
            double rate = offer(spool, sizes.latencyRate(), total, warmup, returned, System::nanoTime);
            awaitCount(handled, total, Duration.ofSeconds(10));
            long[] latencies = new long[recorded];
            int count = 0;
            for (int i = warmup; i < total; i++) {
                long start = started.get(i);
                if (start != NOT_HANDLED) {
                    latencies[count++] = Math.max(0, start - returned[i]);
                }
            }
            return outcome(Arrays.copyOf(latencies, count), recorded, rate);
        }
    }

    /**
     * Measures two instances on one PostgreSQL schema: instance A (this JVM, never started) enqueues, instance B
     * (a child JVM with its own pool, started) handles, so the wake-up has to cross processes. Times are wall-clock
     * microseconds, which both processes read from the same system clock.
     */
    static Outcome twoInstances(BenchmarkContext context) throws Exception {
        Sizes sizes = context.sizes();
        int warmup = count(sizes.latencyWarmup(), sizes.latencyRate());
        int recorded = count(sizes.latencyDuration(), sizes.latencyRate());
        int total = warmup + recorded;
        Duration childTimeout = sizes.latencyWarmup().plus(sizes.latencyDuration()).plusSeconds(60);
        try (PostgresSchemas.Schema schema = context.newSchema()) {
            RetrySpool instanceA = RetrySpool.builder()
                    .jdbc(schema.pool("instance-a", 4))
                    .instanceId("bench-instance-a")
                    .shutdownGrace(Duration.ofSeconds(5))
                    .build();
            try (instanceA) {
                Path results = context.newDirectory("two-instances").resolve("handled.txt");
                Process instanceB = LatencyConsumerMain.launch(schema.jdbcUrl(), total, results, childTimeout);
                try {
                    awaitReady(instanceB, Duration.ofSeconds(60));
                    Thread.sleep(SETTLE.toMillis());
                    long[] returned = new long[total];
                    double rate = offer(instanceA, sizes.latencyRate(), total, warmup, returned, LatencyBenchmark::wallMicros);
                    if (!instanceB.waitFor(childTimeout.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("instance B did not finish within " + childTimeout);
                    }
                    if (instanceB.exitValue() != 0) {
                        throw new IllegalStateException("instance B exited with " + instanceB.exitValue());
                    }
                    long[] started = new long[total];
                    Arrays.fill(started, NOT_HANDLED);
                    for (String line : Files.readAllLines(results, StandardCharsets.US_ASCII)) {
                        String[] fields = line.split(" ");
                        started[Integer.parseInt(fields[0])] = Long.parseLong(fields[1]);
                    }
                    long[] latencies = new long[recorded];
                    int count = 0;
                    for (int i = warmup; i < total; i++) {
                        if (started[i] != NOT_HANDLED) {
                            latencies[count++] = Math.max(0, started[i] - returned[i]) * 1000;
                        }
                    }
                    return outcome(Arrays.copyOf(latencies, count), recorded, rate);
                } finally {
                    instanceB.destroy();
                    if (!instanceB.waitFor(10, TimeUnit.SECONDS)) {
                        instanceB.destroyForcibly();
                    }
                }
            }
        }
    }

    /** The wall clock in microseconds since the epoch. */
    static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @FunctionalInterface
    private interface Clock {
        long now();
    }

    /**
     * Sends {@code total} messages at {@code rate} from this thread, noting when each {@code enqueue} returned.
     *
     * @return the rate reached over the messages after the warm-up
     */
    private static double offer(RetrySpool spool, int rate, int total, int warmup, long[] returned, Clock clock) {
        byte[] body = SpoolThroughput.body();
        Pacer pacer = new Pacer(rate, System.nanoTime());
        long recordedStart = 0;
        for (int i = 0; i < total; i++) {
            pacer.awaitNext();
            if (i == warmup) {
                recordedStart = System.nanoTime();
            }
            spool.enqueue(Map.of("type", "benchmark", SEQUENCE_HEADER, Integer.toString(i)), body);
            returned[i] = clock.now();
        }
        long elapsed = System.nanoTime() - recordedStart;
        return (total - warmup) / (elapsed / 1e9);
    }

    private static Outcome outcome(long[] latencies, int offered, double rate) {
        return new Outcome(latencies.length == 0 ? null : LatencySummary.of(latencies), offered, latencies.length, rate);
    }

    private static int count(Duration duration, int rate) {
        return (int) Math.max(1, duration.toMillis() * rate / 1000);
    }

    private static AtomicLongArray notHandled(int size) {
        long[] values = new long[size];
        Arrays.fill(values, NOT_HANDLED);
        return new AtomicLongArray(values);
    }

    private static void awaitCount(AtomicInteger counter, int expected, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (counter.get() < expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
    }

    private static void awaitReady(Process child, Duration limit) throws Exception {
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.equals(LatencyConsumerMain.READY)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        Boolean isReady = ready.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!isReady) {
            throw new IllegalStateException("instance B ended before it was ready (exit " + (child.isAlive() ? "-" : child.exitValue()) + ")");
        }
    }

    static List<String> childCommand(String mainClass, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return command;
    }
}
