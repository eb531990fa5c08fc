package io.retryspool.benchmarks;

import java.time.Duration;

/**
 * The counts and time limits of one benchmark run. A throughput scenario stops at {@code messages} or at its
 * time limit, whichever comes first, and reports the rate it reached (saying so when the limit cut it short),
 * so a slow build can never make a run hang.
 *
 * @param messages messages per throughput scenario (enqueue, enqueueAll, drain)
 * @param warmupMessages untimed operations before each timed enqueue or drain run, so the JIT has compiled the path
 * @param enqueueTimeLimit the longest a timed enqueue run may take
 * @param drainTimeLimit the longest a timed drain may take
 * @param latencyWarmup offered load before latency is recorded
 * @param latencyDuration offered load during which latency is recorded
 * @param latencyRate the offered load, messages per second
 * @param bigBodyBytes the size of the big-body scenario's single body
 * @param idleSettle how long an idle spool runs before its queries are counted
 * @param idleDuration how long an idle spool's queries are counted
 * @param consoleArchived ARCHIVED rows in the console scenario's table
 * @param consoleDeferred DEFERRED rows in the console scenario's table
 * @param consoleSamples timed requests per request kind in the console scenario
 * @param consoleTimeLimit the longest the console scenario spends on one request kind; it stops sampling there
 * @param backlogShallow messages waiting in the backlog-drain scenario's shallow run
 * @param backlogDeep messages waiting in the backlog-drain scenario's deep run
 * @param backlogDrained messages timed through the handler in each backlog-drain run, in rounds of
 *        {@code backlogShallow} (so a multiple of it) with the backlog topped up before each
 */
public record Sizes(int messages, int warmupMessages, Duration enqueueTimeLimit, Duration drainTimeLimit,
        Duration latencyWarmup, Duration latencyDuration, int latencyRate, long bigBodyBytes, Duration idleSettle,
        Duration idleDuration, int consoleArchived, int consoleDeferred, int consoleSamples,
        Duration consoleTimeLimit, int backlogShallow, int backlogDeep, int backlogDrained) {

    /** One kibibyte: every throughput and latency message carries a body of this size. */
    public static final int BODY_BYTES = 1024;

    /** 100 MiB, the big-body scenario's body in both modes. */
    public static final long BIG_BODY_BYTES = 100L * 1024 * 1024;

    /** Checks the sizes. */
    public Sizes {
        if (messages <= 0 || warmupMessages < 0 || latencyRate <= 0 || bigBodyBytes < 0) {
            throw new IllegalArgumentException("sizes: counts must be positive, got " + messages + " messages, "
                    + warmupMessages + " warm-up messages, rate " + latencyRate + ", big body " + bigBodyBytes);
        }
        if (consoleArchived <= 0 || consoleDeferred <= 0 || consoleSamples <= 0) {
            throw new IllegalArgumentException("sizes: console counts must be positive, got " + consoleArchived
                    + " ARCHIVED, " + consoleDeferred + " DEFERRED, " + consoleSamples + " samples");
        }
        if (backlogShallow <= 0 || backlogDeep <= backlogShallow || backlogDrained <= 0
                || backlogDrained % backlogShallow != 0) {
            throw new IllegalArgumentException("sizes: the backlogs must be positive, the deep one larger, and the "
                    + "drained count a multiple of the shallow one, got " + backlogShallow
                    + " shallow, " + backlogDeep + " deep, " + backlogDrained + " drained");
        }
    }

    /**
     * Returns the quick sizes: 20,000 messages, 4 s of latency load, 10 s idle; the console on 1,000,000 ARCHIVED
     * and 100,000 DEFERRED rows, 10 samples per request; 20,000 messages drained with 10,000 and with 200,000
     * waiting.
     *
     * @return the quick sizes
     */
    public static Sizes quick() {
        return new Sizes(20_000, 2_000, Duration.ofSeconds(6), Duration.ofSeconds(12), Duration.ofSeconds(1),
                Duration.ofSeconds(4), 1_000, BIG_BODY_BYTES, Duration.ofSeconds(1), Duration.ofSeconds(10), 1_000_000,
                100_000, 10, Duration.ofSeconds(30), 10_000, 200_000, 20_000);
    }

    /**
     * Returns the full sizes: 100,000 messages, 30 s of latency load, 60 s idle; the console on 10,000,000 ARCHIVED
     * and 1,000,000 DEFERRED rows, 20 samples per request; 200,000 messages drained with 10,000 and with 1,000,000
     * waiting.
     *
     * @return the full sizes
     */
    public static Sizes full() {
        return new Sizes(100_000, 10_000, Duration.ofSeconds(120), Duration.ofSeconds(180), Duration.ofSeconds(3),
                Duration.ofSeconds(30), 1_000, BIG_BODY_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(60), 10_000_000,
                1_000_000, 20, Duration.ofSeconds(120), 10_000, 1_000_000, 200_000);
    }

    /**
     * Returns tiny sizes for the harness's own smoke tests; the figures mean nothing.
     *
     * @return tiny sizes
     */
    public static Sizes tiny() {
        return new Sizes(300, 50, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMillis(100),
                Duration.ofMillis(300), 500, 1024 * 1024, Duration.ofMillis(100), Duration.ofMillis(500), 2_000, 500, 3,
                Duration.ofSeconds(10), 200, 2_000, 400);
    }
}
