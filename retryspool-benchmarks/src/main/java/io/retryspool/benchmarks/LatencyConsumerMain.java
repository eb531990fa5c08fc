package io.retryspool.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Instance B of the two-instance latency scenario, run in its own JVM by {@link LatencyBenchmark}: a started spool
 * with its own pool on the given schema, whose handler notes the wall-clock microsecond it started for each
 * sequence number. It prints {@value #READY} once started, and when it has handled the expected number of
 * messages (or its time is up) writes {@code sequence microseconds} lines to the result file and exits.
 *
 * <p>Arguments: {@code <jdbc-url> <expected-messages> <result-file> <timeout-seconds>}.
 */
public final class LatencyConsumerMain {

    /** The line printed on standard output once the spool has started. */
    static final String READY = "READY";

    private LatencyConsumerMain() {
    }

    /** Starts instance B in a child JVM with the same class path. */
    static Process launch(String jdbcUrl, int expected, Path results, Duration timeout) throws IOException {
        List<String> command = LatencyBenchmark.childCommand(LatencyConsumerMain.class.getName(),
                List.of(jdbcUrl, Integer.toString(expected), results.toString(), Long.toString(timeout.toSeconds())));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Runs instance B.
     *
     * @param args JDBC URL, expected messages, result file, timeout in seconds
     * @throws Exception if the spool cannot run
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LatencyConsumerMain <jdbc-url> <expected-messages> <result-file> <timeout-seconds>");
            System.exit(2);
        }
        int expected = Integer.parseInt(args[1]);
        Path results = Path.of(args[2]);
        long timeoutSeconds = Long.parseLong(args[3]);
        long[] initial = new long[expected];
        Arrays.fill(initial, Long.MIN_VALUE);
        AtomicLongArray started = new AtomicLongArray(initial);
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setPoolName("instance-b");
        config.setMaximumPoolSize(Backend.POSTGRES_POOL_SIZE);
        try (HikariDataSource pool = new HikariDataSource(config);
                RetrySpool instanceB = RetrySpool.builder()
                        .jdbc(pool)
                        .migrate(false)
                        .handler((context, message, body) -> {
                            long now = LatencyBenchmark.wallMicros();
                            started.set(Integer.parseInt(message.metadata().headers().get(LatencyBenchmark.SEQUENCE_HEADER)), now);
                            if (handled.incrementAndGet() >= expected) {
                                done.countDown();
                            }
                        })
                        .instanceId("bench-instance-b")
                        .shutdownGrace(Duration.ofSeconds(5))
                        .build()) {
            instanceB.start();
            System.out.println(READY);
            System.out.flush();
            done.await(timeoutSeconds, TimeUnit.SECONDS);
            instanceB.stop(Duration.ofSeconds(5));
            try (Writer out = Files.newBufferedWriter(results, StandardCharsets.US_ASCII)) {
                for (int i = 0; i < expected; i++) {
                    long micros = started.get(i);
                    if (micros != Long.MIN_VALUE) {
                        out.write(i + " " + micros + "\n");
                    }
                }
            }
        }
        System.exit(0);
    }
}
