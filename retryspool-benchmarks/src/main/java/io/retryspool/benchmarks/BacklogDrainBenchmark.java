package io.retryspool.benchmarks;

import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether draining slows down as the backlog grows: a spool on PostgreSQL with a no-op handler and
 * {@link Scenarios#DRAIN_CONCURRENCY} workers drains the same messages in the same rounds with a given number waiting.
 * Each run has a fresh schema and first drains {@link #WARM_UP_ROUNDS} rounds' worth of messages (at least
 * {@link Sizes#warmupMessages()}) untimed (the rounds are short, and with less the deep run, which comes first,
 * times its first rounds with code the JIT has not yet compiled) and empties the tables again, so that both runs
 * fill tables that hold nothing else. Then,
 * per round, it tops the stopped spool up to the backlog with {@code enqueueAll}, runs {@code VACUUM (ANALYZE)} on
 * the spool's tables (so freshly filled rows look as autovacuum would leave them) and a {@code CHECKPOINT} (so that
 * writing back what the fill left dirty is not charged to the drain: a fill of a million messages writes more WAL
 * than {@code max_wal_size} and starts a checkpoint that otherwise runs through the timed rounds of the deep run
 * only), and times from {@code start()}
 * until the handler has counted the round's messages; the spool is stopped again outside the clock. Runs with
 * different backlogs therefore differ only in how many messages wait: each pays the same start-ups for the same
 * work.
 */
final class BacklogDrainBenchmark {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** Rounds' worth of messages drained untimed before the first timed round. */
    static final int WARM_UP_ROUNDS = 10;
    private static final List<String> SPOOL_TABLES = List.of("retryspool_messages", "retryspool_data");

    private BacklogDrainBenchmark() {
    }

    /**
     * What one run did.
     *
     * @param waiting messages waiting when each round's clock started
     * @param rounds rounds timed
     * @param drain messages handled within the clock (at most the count) and the time of the rounds together
     */
    record Outcome(int waiting, int rounds, Producers.Outcome drain) {
    }

    /**
     * Drains {@code count} messages in rounds of {@code perRound} with {@code waiting} waiting at the start of each.
     *
     * @param context the run
     * @param waiting the backlog, at least {@code perRound}
     * @param perRound the messages timed per round
     * @param count the messages to time in all, a multiple of {@code perRound}
     * @return what was timed; stopped at {@link Sizes#drainTimeLimit()} over all rounds
     */
    static Outcome run(BenchmarkContext context, int waiting, int perRound, int count) throws Exception {
        Sizes sizes = context.sizes();
        LongAdder handled = new LongAdder();
        DataSource[] pool = new DataSource[1];
        try (Backend.Store store = Backend.POSTGRES.open(context, dataSource -> pool[0] = dataSource);
                RetrySpool spool = store.builder()
                        .handler((messageContext, message, body) -> handled.increment())
                        .concurrency(Scenarios.DRAIN_CONCURRENCY)
                        .instanceId("bench-backlog")
                        .shutdownGrace(SHUTDOWN_GRACE)
                        .build()) {
            List<EnqueueRequest> batch = SpoolThroughput.requests(SpoolThroughput.PREFILL_BATCH,
                    SpoolThroughput.body());
            long limit = sizes.drainTimeLimit().toNanos();
            int warmUp = Math.max(sizes.warmupMessages(), WARM_UP_ROUNDS * perRound);
            if (warmUp > 0) {
                fill(spool, batch, warmUp);
                if (drainRound(spool, handled, warmUp, limit) < 0) {
                    return new Outcome(waiting, 0, new Producers.Outcome(handled.sum(), limit, true));
                }
                truncate(pool[0]);
                context.log("warm-up: %,d messages drained, tables emptied (untimed)", warmUp);
            }
            long topUp = waiting;
            long drained = 0;
            long elapsed = 0;
            int rounds = 0;
            while (drained < count) {
                long fillStart = System.nanoTime();
                fill(spool, batch, topUp);
                vacuumAndCheckpoint(pool[0]);
                context.log("round %d: %,d messages added, %,d waiting, vacuumed, checkpointed, in %.1f s (untimed)",
                        rounds + 1, topUp, waiting, (System.nanoTime() - fillStart) / 1e9);
                long took = drainRound(spool, handled, perRound, limit - elapsed);
                rounds++;
                if (took >= 0) {
                    context.log("round %d: %,d messages drained in %.3f s", rounds, perRound, took / 1e9);
                }
                if (took < 0) {
                    context.log("drain stopped at the time limit: handled %,d of %,d in round %d", handled.sum(),
                            perRound, rounds);
                    return new Outcome(waiting, rounds,
                            new Producers.Outcome(drained + Math.min(handled.sum(), perRound), limit, true));
                }
                drained += perRound;
                elapsed += took;
                topUp = handled.sum();
            }
            return new Outcome(waiting, rounds, new Producers.Outcome(drained, elapsed, false));
        }
    }

    /**
     * Starts the spool, waits until the handler has counted {@code messages}, and stops the spool again.
     *
     * @return the nanoseconds from start to the count, or -1 when {@code limitNanos} passed first
     */
    private static long drainRound(RetrySpool spool, LongAdder handled, int messages, long limitNanos)
            throws InterruptedException {
        handled.reset();
        long start = System.nanoTime();
        spool.start();
        while (handled.sum() < messages && System.nanoTime() - start < limitNanos) {
            Thread.sleep(1);
        }
        long took = System.nanoTime() - start;
        boolean reached = handled.sum() >= messages;
        spool.stop(SHUTDOWN_GRACE);
        return reached ? took : -1;
    }

    private static void fill(RetrySpool spool, List<EnqueueRequest> batch, long total) {
        for (long filled = 0; filled < total; filled += batch.size()) {
            spool.enqueueAll(filled + batch.size() <= total ? batch : batch.subList(0, (int) (total - filled)));
        }
    }

    private static void truncate(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + String.join(", ", SPOOL_TABLES));
        }
    }

    private static void vacuumAndCheckpoint(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : SPOOL_TABLES) {
                statement.execute("VACUUM (ANALYZE) " + table);
            }
            statement.execute("CHECKPOINT");
        }
    }
}
