package io.retryspool.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every scenario of the harness, in the order a full run takes them, with the targets of the benchmark issue:
 * enqueue at least 3x and drain at least 5x db-scheduler's rate on PostgreSQL, {@code enqueueAll} at least
 * 100,000 messages/s, SQLite at least 20,000 messages/s both ways, latency p50 under 5 ms and p99 under 50 ms
 * (p50 under 20 ms across two instances), a 100 MiB body at a 256 MiB heap, an idle spool at a few queries
 * per second, and every request of the operator console within 300 ms at 10,000,000 ARCHIVED and 1,000,000 DEFERRED
 * messages; and the costs that should stay flat as work grows: enqueue from 50 producers on a pool of 10 at least 5x
 * db-scheduler and at least 60% of {@code enqueueAll}, and a drain with 1,000,000 messages waiting at least 80% as
 * fast as with 10,000; and per destination: a drain over 1,000 destinations limited to 5 attempts each at least 80% as
 * fast as without the limit, small destinations served within 2 s (p99) beside a big one held at its limit, and
 * healthy destinations within 10% of their rate beside a dead one.
 */
final class Scenarios {

    static final int PRODUCER_THREADS = 5;
    static final int DRAIN_CONCURRENCY = 10;
    static final int ENQUEUE_ALL_BATCH = 100;
    static final double ENQUEUE_RATIO_TARGET = 3;
    static final double DRAIN_RATIO_TARGET = 5;
    static final double ENQUEUE_ALL_TARGET = 100_000;
    static final double SQLITE_TARGET = 20_000;
    static final double LATENCY_P50_TARGET_MS = 5;
    static final double LATENCY_P99_TARGET_MS = 50;
    static final double TWO_INSTANCE_P50_TARGET_MS = 20;
    static final double IDLE_QUERIES_TARGET = 5;
    static final double CONSOLE_TARGET_MS = 300;
    static final double DEEP_BACKLOG_SHARE_TARGET = 0.8;
    /** Share of the unlimited drain over 1,000 destinations that the same drain limited to 5 each reaches. */
    static final double DESTINATIONS_DRAIN_SHARE_TARGET = 0.8;
    /** The small destinations' p99 from enqueue to delivery beside a big destination at its limit. */
    static final double SMALL_DESTINATIONS_P99_TARGET_MS = 2_000;
    /** Share of what its limit allows that the big destination drains at meanwhile. */
    static final double BIG_DESTINATION_SHARE_TARGET = 0.8;
    /** Share of the healthy destinations' rate kept beside a dead destination. */
    static final double DEAD_DESTINATION_SHARE_TARGET = 0.9;
    /** A latency run counts only if one thread offered at least this share of the asked-for rate. */
    static final double MIN_OFFERED_FRACTION = 0.95;

    static final String RATE = "msg/s";

    private Scenarios() {
    }

    /** All scenarios, in run order. */
    static List<Scenario> all() {
        return List.of(
                new Scenario("pg-enqueue", "PostgreSQL: single enqueue, " + PRODUCER_THREADS
                        + " producer threads, 1 KiB body; db-scheduler schedule() side by side", true,
                        Scenarios::pgEnqueue),
                new Scenario("pg-drain", "PostgreSQL: drain pre-enqueued messages with a no-op handler, "
                        + DRAIN_CONCURRENCY + " workers; db-scheduler lock-and-fetch, 10 threads, side by side", true,
                        Scenarios::pgDrain),
                new Scenario("pg-enqueue-all", "PostgreSQL: enqueueAll in batches of " + ENQUEUE_ALL_BATCH
                        + " from 1 and from 2 threads", true, Scenarios::pgEnqueueAll),
                new Scenario("sqlite-enqueue", "SQLite file (WAL): single enqueue, " + PRODUCER_THREADS
                        + " producer threads", false,
                        context -> List.of(enqueue(context, "sqlite-enqueue", Backend.SQLITE, SQLITE_TARGET))),
                new Scenario("sqlite-drain", "SQLite file (WAL): drain with a no-op handler, " + DRAIN_CONCURRENCY
                        + " workers", false,
                        context -> List.of(drain(context, "sqlite-drain", Backend.SQLITE, SQLITE_TARGET))),
                new Scenario("pg-fs-enqueue", "PostgreSQL metadata + filesystem bodies: single enqueue, "
                        + PRODUCER_THREADS + " producer threads", true,
                        context -> List.of(enqueue(context, "pg-fs-enqueue", Backend.POSTGRES_FILES, null))),
                new Scenario("pg-fs-drain", "PostgreSQL metadata + filesystem bodies: drain, " + DRAIN_CONCURRENCY
                        + " workers", true,
                        context -> List.of(drain(context, "pg-fs-drain", Backend.POSTGRES_FILES, null))),
                new Scenario("latency-pg", "PostgreSQL: enqueue return to handler start at 1,000 msg/s offered "
                        + "from one thread", true, context -> List.of(latency(context, "latency-pg", Backend.POSTGRES))),
                new Scenario("latency-sqlite", "SQLite: enqueue return to handler start at 1,000 msg/s offered",
                        false, context -> List.of(latency(context, "latency-sqlite", Backend.SQLITE))),
                new Scenario("latency-pg-two-instances", "PostgreSQL: enqueued on instance A (this JVM, not "
                        + "started), handled on instance B (a child JVM), at 1,000 msg/s", true,
                        context -> List.of(twoInstances(context))),
                new Scenario("big-body", "PostgreSQL: one 100 MiB body streamed in and delivered, checksum "
                        + "checked, JVM at -Xmx256m", true, context -> List.of(bigBody(context))),
                new Scenario("idle-cost", "PostgreSQL: statements per second of a started, idle spool "
                        + "(default settings)", true, context -> List.of(idleCost(context))),
                new Scenario("console", "PostgreSQL, 10,000,000 ARCHIVED + 1,000,000 DEFERRED rows (quick: "
                        + "1,000,000 + 100,000): latency of the dashboard's and the endpoint's requests", true, Scenarios::console),
                new Scenario("pg-enqueue-producers", "PostgreSQL, pools of " + ProducerGrowthBenchmark.POOL_SIZE
                        + ": single enqueue from " + ProducerGrowthBenchmark.PRODUCER_COUNTS + " producer threads; "
                        + "db-scheduler schedule() side by side; enqueueAll from "
                        + ProducerGrowthBenchmark.REFERENCE_THREADS + " threads as the reference; the largest count "
                        + "in " + ProducerGrowthBenchmark.ROUNDS + " rounds, judged on medians", true,
                        ProducerGrowthBenchmark::run),
                new Scenario("pg-drain-backlog", "PostgreSQL: the same number of messages drained with 10,000 and with "
                        + "1,000,000 waiting (quick: 200,000), " + DRAIN_CONCURRENCY + " workers, no-op handler", true,
                        Scenarios::pgDrainBacklog),
                new Scenario("pg-shards", "PostgreSQL: single enqueue (" + PRODUCER_THREADS + " producers) and drain ("
                        + DRAIN_CONCURRENCY + " workers) on one database, then on two shards on two clusters of the "
                        + "same machine", true, Scenarios::pgShards),
                new Scenario("pg-destinations-drain", "PostgreSQL: drain over " + DestinationBenchmark.DRAIN_DESTINATIONS
                        + " destinations limited to " + DestinationBenchmark.LIMIT + " attempts each, then without a "
                        + "limit, then the same messages without destinations, " + DRAIN_CONCURRENCY + " workers, "
                        + "no-op handler", true,
                        Scenarios::pgDestinationsDrain),
                new Scenario("pg-destinations-fairness", "PostgreSQL: one destination with a backlog of the run's "
                        + "message count at a limit of " + DestinationBenchmark.LIMIT + ", then "
                        + DestinationBenchmark.SMALL_DESTINATIONS + " destinations with "
                        + DestinationBenchmark.SMALL_MESSAGES + " messages each; "
                        + DestinationBenchmark.FAIRNESS_WORKERS + " workers, a "
                        + DestinationBenchmark.FAIRNESS_HANDLER_TIME.toMillis() + " ms handler", true,
                        Scenarios::pgDestinationsFairness),
                new Scenario("pg-destinations-dead", "PostgreSQL: drain over " + DestinationBenchmark.HEALTHY_DESTINATIONS
                        + " healthy destinations with and without a dead one (its handler outlasts the "
                        + DestinationBenchmark.ATTEMPT_TIMEOUT.toSeconds() + " s attempt timeout), "
                        + DRAIN_CONCURRENCY + " workers", true, Scenarios::pgDestinationsDead));
    }

    /** Scenario names with their descriptions, in run order. */
    static Map<String, String> descriptions() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        all().forEach(scenario -> descriptions.put(scenario.name(), scenario.description()));
        return descriptions;
    }

    private static List<ScenarioResult> pgEnqueue(BenchmarkContext context) throws Exception {
        Producers.Outcome spool = SpoolThroughput.enqueue(context, Backend.POSTGRES, PRODUCER_THREADS);
        context.log("RetrySpool: %s", describe(spool, "enqueues"));
        Producers.Outcome peer = DbSchedulerPeer.enqueue(context, PRODUCER_THREADS);
        context.log("db-scheduler: %s", describe(peer, "schedules"));
        ScenarioResult row = ScenarioResult.of("pg-enqueue", RATE, spool.perSecond()).withPeer(peer.perSecond());
        return List.of(ratioTarget(row, ENQUEUE_RATIO_TARGET)
                .withNote("RetrySpool " + describe(spool, "enqueues") + "; db-scheduler " + describe(peer, "schedules")));
    }

    private static List<ScenarioResult> pgDrain(BenchmarkContext context) throws Exception {
        Producers.Outcome spool = SpoolThroughput.drain(context, Backend.POSTGRES, DRAIN_CONCURRENCY);
        context.log("RetrySpool: %s", describe(spool, "messages drained"));
        Producers.Outcome peer = DbSchedulerPeer.drain(context);
        context.log("db-scheduler: %s", describe(peer, "executions drained"));
        ScenarioResult row = ScenarioResult.of("pg-drain", RATE, spool.perSecond()).withPeer(peer.perSecond());
        row = ratioTarget(row, DRAIN_RATIO_TARGET)
                .withNote("RetrySpool " + describe(spool, "messages drained") + "; db-scheduler "
                        + describe(peer, "executions drained") + " (lock-and-fetch "
                        + DbSchedulerPeer.LOWER_LIMIT_FRACTION + "/" + DbSchedulerPeer.UPPER_LIMIT_FRACTION + ")");
        return List.of(spool.timedOut() ? row.withTarget(Objects.requireNonNull(row.target()), false) : row);
    }

    private static List<ScenarioResult> pgEnqueueAll(BenchmarkContext context) throws Exception {
        List<ScenarioResult> rows = new ArrayList<>();
        for (int threads = 1; threads <= 2; threads++) {
            Producers.Outcome outcome = SpoolThroughput.enqueueAll(context, Backend.POSTGRES, threads, ENQUEUE_ALL_BATCH);
            String name = "pg-enqueue-all (" + threads + (threads == 1 ? " thread)" : " threads)");
            context.log("%s: %s", name, describe(outcome, "messages"));
            rows.add(rateTarget(ScenarioResult.of(name, RATE, outcome.perSecond()), outcome, ENQUEUE_ALL_TARGET)
                    .withNote(describe(outcome, "messages") + " in batches of " + ENQUEUE_ALL_BATCH));
        }
        return rows;
    }

    /**
     * The deep backlog first and the shallow one last, so that the JIT is at least as warm for the baseline as for
     * the run held to the target.
     */
    private static List<ScenarioResult> pgDrainBacklog(BenchmarkContext context) throws Exception {
        Sizes sizes = context.sizes();
        BacklogDrainBenchmark.Outcome deep = BacklogDrainBenchmark.run(context, sizes.backlogDeep(),
                sizes.backlogShallow(), sizes.backlogDrained());
        ScenarioResult deepRow = backlogRow(context, deep);
        BacklogDrainBenchmark.Outcome shallow = BacklogDrainBenchmark.run(context, sizes.backlogShallow(),
                sizes.backlogShallow(), sizes.backlogDrained());
        ScenarioResult shallowRow = backlogRow(context, shallow);
        double share = deep.drain().perSecond() / shallow.drain().perSecond();
        boolean met = !deep.drain().timedOut() && !shallow.drain().timedOut() && share >= DEEP_BACKLOG_SHARE_TARGET;
        deepRow = deepRow.withTarget(String.format(Locale.ROOT, ">= %.0f%% of the rate with %,d waiting",
                100 * DEEP_BACKLOG_SHARE_TARGET, sizes.backlogShallow()), met)
                .withNote(String.format(Locale.ROOT, "%.0f%% of the rate with %,d waiting (that run came second)",
                        100 * share, sizes.backlogShallow()));
        return List.of(shallowRow, deepRow);
    }

    /**
     * One database and two shards side by side, one after the other, enqueue then drain: on one machine the two
     * clusters share its cores, so this measures what shards cost, not what separate servers would gain.
     */
    private static List<ScenarioResult> pgShards(BenchmarkContext context) throws Exception {
        List<ScenarioResult> rows = new ArrayList<>();
        Producers.Outcome oneEnqueue = SpoolThroughput.enqueue(context, Backend.POSTGRES, PRODUCER_THREADS);
        Producers.Outcome twoEnqueue = SpoolThroughput.enqueue(context, Backend.POSTGRES_TWO_SHARDS, PRODUCER_THREADS);
        Producers.Outcome oneDrain = SpoolThroughput.drain(context, Backend.POSTGRES, DRAIN_CONCURRENCY);
        Producers.Outcome twoDrain = SpoolThroughput.drain(context, Backend.POSTGRES_TWO_SHARDS, DRAIN_CONCURRENCY);
        rows.add(shardRow(context, "pg-shards enqueue (1 database)", oneEnqueue, null, "enqueues"));
        rows.add(shardRow(context, "pg-shards enqueue (2 shards)", twoEnqueue, oneEnqueue, "enqueues"));
        rows.add(shardRow(context, "pg-shards drain (1 database)", oneDrain, null, "messages drained"));
        rows.add(shardRow(context, "pg-shards drain (2 shards)", twoDrain, oneDrain, "messages drained"));
        return rows;
    }

    /**
     * The limited and the unlimited drain in the order limited, unlimited, unlimited, limited, each pair summed, so that
     * neither is charged for running first (a first run here was about 20% slower whichever it was), then messages
     * without a destination.
     */
    private static List<ScenarioResult> pgDestinationsDrain(BenchmarkContext context) throws Exception {
        int destinations = DestinationBenchmark.DRAIN_DESTINATIONS;
        List<Producers.Outcome> limitedRuns = new ArrayList<>();
        List<Producers.Outcome> unlimitedRuns = new ArrayList<>();
        for (boolean limitedRun : new boolean[]{true, false, false, true}) {
            Producers.Outcome run = DestinationBenchmark.drain(context, destinations,
                    limitedRun ? DestinationBenchmark.LIMIT : 0);
            context.log("%,d destinations, %s: %s", destinations, limitedRun ? "limit " + DestinationBenchmark.LIMIT
                    : "no limit", describe(run, "messages drained"));
            (limitedRun ? limitedRuns : unlimitedRuns).add(run);
        }
        Producers.Outcome limited = Producers.Outcome.sum(limitedRuns);
        Producers.Outcome unlimited = Producers.Outcome.sum(unlimitedRuns);
        Producers.Outcome plain = DestinationBenchmark.drain(context, 0, 0);
        context.log("no destinations: %s", describe(plain, "messages drained"));
        double share = limited.perSecond() / unlimited.perSecond();
        return List.of(
                ScenarioResult.of("pg-destinations-drain (no destinations)", RATE, plain.perSecond())
                        .withNote(describe(plain, "messages drained")),
                ScenarioResult.of(String.format(Locale.ROOT, "pg-destinations-drain (%,d destinations, no limit)",
                        destinations), RATE, unlimited.perSecond()).withNote(String.format(Locale.ROOT,
                        "%s; %.0f%% of the drain without destinations", describe(unlimited, "messages drained"),
                        100 * unlimited.perSecond() / plain.perSecond())),
                ScenarioResult.of(String.format(Locale.ROOT, "pg-destinations-drain (%,d destinations, limit %d)",
                        destinations, DestinationBenchmark.LIMIT), RATE, limited.perSecond())
                        .withTarget(String.format(Locale.ROOT, ">= %.0f%% of the unlimited drain",
                                100 * DESTINATIONS_DRAIN_SHARE_TARGET), !limited.timedOut() && !unlimited.timedOut()
                                && share >= DESTINATIONS_DRAIN_SHARE_TARGET)
                        .withNote(String.format(Locale.ROOT, "%s (two runs, before and after the unlimited ones); "
                                + "%.0f%% of the unlimited drain, %.0f%% of the drain without destinations (that run came "
                                + "last)", describe(limited,
                                "messages drained"), 100 * share, 100 * limited.perSecond() / plain.perSecond())));
    }

    private static List<ScenarioResult> pgDestinationsFairness(BenchmarkContext context) throws Exception {
        DestinationBenchmark.FairnessOutcome outcome = DestinationBenchmark.fairness(context);
        int smallTotal = DestinationBenchmark.SMALL_DESTINATIONS * DestinationBenchmark.SMALL_MESSAGES;
        // what each of its attempts spent holding a slot outside the handler: its outcome, the wake-up, the next claim
        double slotMillis = 1000.0 * DestinationBenchmark.LIMIT / outcome.bigRate();
        double handlerMillis = 1000.0 * DestinationBenchmark.LIMIT / outcome.bigCeiling();
        String big = String.format(Locale.ROOT, "%s (%,d waiting, limit %d) drained at %,.0f/s meanwhile, %.0f%% of "
                        + "the %,.0f/s its limit allows with the handler's measured time (%.1f ms a slot, %.1f ms of "
                        + "it outside the handler); at most %d at once", DestinationBenchmark.BIG, outcome.bigWaiting(),
                DestinationBenchmark.LIMIT, outcome.bigRate(), 100 * outcome.bigRate() / outcome.bigCeiling(),
                outcome.bigCeiling(), slotMillis, slotMillis - handlerMillis, outcome.bigMostAtOnce());
        context.log("%s", big);
        String target = String.format(Locale.ROOT, "small p99 <= %.0f ms; big at <= its limit and >= %.0f%% of "
                + "what it allows", SMALL_DESTINATIONS_P99_TARGET_MS, 100 * BIG_DESTINATION_SHARE_TARGET);
        String name = "pg-destinations-fairness";
        if (outcome.smallLatency() == null) {
            return List.of(ScenarioResult.of(name, "ms p99", null).withTarget(target, false)
                    .withNote("no small destination's message was delivered; " + big));
        }
        LatencySummary small = outcome.smallLatency();
        String smallNote = String.format(Locale.ROOT, "%,d of %,d small messages (%d destinations) delivered: p50 "
                        + "%.1f ms, p99 %.1f ms, max %.1f ms from the start of their enqueue", outcome.smallDelivered(),
                smallTotal, DestinationBenchmark.SMALL_DESTINATIONS, small.p50Millis(), small.p99Millis(),
                small.maxMillis());
        context.log("%s", smallNote);
        boolean met = outcome.smallDelivered() == smallTotal && small.p99Millis() <= SMALL_DESTINATIONS_P99_TARGET_MS
                && outcome.bigMostAtOnce() <= DestinationBenchmark.LIMIT
                && outcome.bigRate() >= BIG_DESTINATION_SHARE_TARGET * outcome.bigCeiling();
        return List.of(ScenarioResult.of(name, "ms p99", small.p99Millis()).withLatency(small)
                .withTarget(target, met).withNote(smallNote + "; " + big));
    }

    /** With the dead destination first, so that the baseline runs with the JIT at least as warm. */
    private static List<ScenarioResult> pgDestinationsDead(BenchmarkContext context) throws Exception {
        DestinationBenchmark.DeadOutcome withDead = DestinationBenchmark.dead(context, true);
        String deadNote = String.format(Locale.ROOT, "%s; %s got %d attempt(s) and was %s at the end",
                describe(withDead.healthy(), "healthy messages drained"), DestinationBenchmark.DEAD,
                withDead.deadAttempts(), withDead.suspended() ? "suspended" : "NOT suspended");
        context.log("with a dead destination: %s", deadNote);
        DestinationBenchmark.DeadOutcome alone = DestinationBenchmark.dead(context, false);
        context.log("healthy destinations alone: %s", describe(alone.healthy(), "messages drained"));
        double share = withDead.healthy().perSecond() / alone.healthy().perSecond();
        return List.of(
                ScenarioResult.of("pg-destinations-dead (healthy alone)", RATE, alone.healthy().perSecond())
                        .withNote(describe(alone.healthy(), "messages drained")),
                ScenarioResult.of("pg-destinations-dead (beside a dead one)", RATE, withDead.healthy().perSecond())
                        .withTarget(String.format(Locale.ROOT, ">= %.0f%% of the healthy destinations' rate alone",
                                100 * DEAD_DESTINATION_SHARE_TARGET), !withDead.healthy().timedOut()
                                && !alone.healthy().timedOut() && share >= DEAD_DESTINATION_SHARE_TARGET)
                        .withNote(String.format(Locale.ROOT, "%s; %.0f%% of the rate alone (that run came second)",
                                deadNote, 100 * share)));
    }

    private static ScenarioResult shardRow(BenchmarkContext context, String name, Producers.Outcome outcome,
                                           Producers.@Nullable Outcome oneDatabase, String what) {
        String note = describe(outcome, what) + (oneDatabase == null ? "" : String.format(Locale.ROOT,
                "; %.0f%% of one database's rate", 100 * outcome.perSecond() / oneDatabase.perSecond()));
        context.log("%s: %s", name, note);
        return ScenarioResult.of(name, RATE, outcome.perSecond()).withNote(note);
    }

    private static ScenarioResult backlogRow(BenchmarkContext context, BacklogDrainBenchmark.Outcome outcome) {
        String name = String.format(Locale.ROOT, "pg-drain-backlog (%,d waiting)", outcome.waiting());
        String note = describe(outcome.drain(), "messages drained") + String.format(Locale.ROOT,
                " in %d round(s) of %,d, topped up to %,d waiting before each (untimed)", outcome.rounds(),
                context.sizes().backlogShallow(), outcome.waiting());
        context.log("%s: %s", name, note);
        return ScenarioResult.of(name, RATE, outcome.drain().perSecond()).withNote(note);
    }

    private static ScenarioResult enqueue(BenchmarkContext context, String name, Backend backend, @Nullable Double target)
            throws Exception {
        Producers.Outcome outcome = SpoolThroughput.enqueue(context, backend, PRODUCER_THREADS);
        context.log("%s", describe(outcome, "enqueues"));
        ScenarioResult row = ScenarioResult.of(name, RATE, outcome.perSecond()).withNote(describe(outcome, "enqueues"));
        return target == null ? row : rateTarget(row, outcome, target);
    }

    private static ScenarioResult drain(BenchmarkContext context, String name, Backend backend, @Nullable Double target)
            throws Exception {
        Producers.Outcome outcome = SpoolThroughput.drain(context, backend, DRAIN_CONCURRENCY);
        context.log("%s", describe(outcome, "messages drained"));
        ScenarioResult row = ScenarioResult.of(name, RATE, outcome.perSecond())
                .withNote(describe(outcome, "messages drained"));
        return target == null ? row : rateTarget(row, outcome, target);
    }

    private static ScenarioResult latency(BenchmarkContext context, String name, Backend backend) throws Exception {
        LatencyBenchmark.Outcome outcome = LatencyBenchmark.inProcess(context, backend);
        return latencyRow(context, name, outcome, String.format(Locale.ROOT, "p50 < %.0f ms, p99 < %.0f ms",
                LATENCY_P50_TARGET_MS, LATENCY_P99_TARGET_MS), LATENCY_P99_TARGET_MS);
    }

    private static ScenarioResult twoInstances(BenchmarkContext context) throws Exception {
        LatencyBenchmark.Outcome outcome = LatencyBenchmark.twoInstances(context);
        return latencyRow(context, "latency-pg-two-instances", outcome,
                String.format(Locale.ROOT, "p50 < %.0f ms", TWO_INSTANCE_P50_TARGET_MS), null);
    }

    private static ScenarioResult latencyRow(BenchmarkContext context, String name, LatencyBenchmark.Outcome outcome,
            String target, @Nullable Double p99Target) {
        double p50Target = p99Target == null ? TWO_INSTANCE_P50_TARGET_MS : LATENCY_P50_TARGET_MS;
        String counts = String.format(Locale.ROOT, "%,d of %,d messages handled at %,.0f msg/s offered (one thread)",
                outcome.handled(), outcome.offered(), outcome.achievedRate());
        context.log("%s", counts);
        if (outcome.summary() == null) {
            return ScenarioResult.of(name, "ms max", null).withTarget(target, false).withNote(counts);
        }
        LatencySummary summary = outcome.summary();
        context.log("p50 %.2f ms, p99 %.2f ms, max %.2f ms", summary.p50Millis(), summary.p99Millis(), summary.maxMillis());
        boolean loadReached = outcome.achievedRate() >= MIN_OFFERED_FRACTION * context.sizes().latencyRate();
        boolean met = loadReached && outcome.handled() == outcome.offered() && summary.p50Millis() < p50Target
                && (p99Target == null || summary.p99Millis() < p99Target);
        ScenarioResult row = ScenarioResult.of(name, "ms max", summary.maxMillis()).withLatency(summary)
                .withTarget(target, met).withNote(counts);
        if (!loadReached) {
            row = row.withNote(String.format(Locale.ROOT, "the offered load was not reached: one thread's enqueue "
                    + "calls managed only %,.0f msg/s of %,d, so the target was not tested as stated",
                    outcome.achievedRate(), context.sizes().latencyRate()));
        }
        return row;
    }

    private static ScenarioResult bigBody(BenchmarkContext context) throws Exception {
        BigBodyBenchmark.Outcome outcome = BigBodyBenchmark.run(context, Backend.POSTGRES);
        long maxHeap = Runtime.getRuntime().maxMemory();
        boolean heapLimited = maxHeap <= BigBodyBenchmark.HEAP_LIMIT_BYTES;
        String details = String.format(Locale.ROOT,
                "%,d MiB: enqueue %.1f s (%.0f MiB/s), delivery %.1f s (%.0f MiB/s), %s; max heap %.0f MiB%s, "
                        + "heap pools' peak %.0f MiB",
                outcome.bytes() >> 20, outcome.enqueueNanos() / 1e9,
                mebibytes(outcome.bytes()) / (outcome.enqueueNanos() / 1e9), outcome.deliveryNanos() / 1e9,
                mebibytes(outcome.bytes()) / (outcome.deliveryNanos() / 1e9),
                outcome.intact() ? "checksum matches" : "CORRUPTED: handler read " + outcome.receivedBytes() + " bytes",
                mebibytes(maxHeap), heapLimited ? "" : " (NOT run at -Xmx256m: the target needs it)",
                mebibytes(outcome.peakHeapBytes()));
        context.log("%s", details);
        return ScenarioResult.of("big-body", "MiB/s", outcome.mebibytesPerSecond())
                .withTarget("100 MiB intact at -Xmx256m", outcome.intact() && heapLimited
                        && outcome.bytes() >= Sizes.BIG_BODY_BYTES)
                .withNote(details);
    }

    private static ScenarioResult idleCost(BenchmarkContext context) throws Exception {
        IdleCostBenchmark.Outcome outcome = IdleCostBenchmark.run(context);
        String details = String.format(Locale.ROOT, "%,d statements and %,d commits in %.0f s of idling",
                outcome.executions(), outcome.commits(), outcome.seconds());
        context.log("%s", details);
        return ScenarioResult.of("idle-cost", "queries/s", outcome.queriesPerSecond())
                .withTarget(String.format(Locale.ROOT, "<= %.0f queries/s", IDLE_QUERIES_TARGET),
                        outcome.queriesPerSecond() <= IDLE_QUERIES_TARGET)
                .withNote(details);
    }

    private static List<ScenarioResult> console(BenchmarkContext context) throws Exception {
        ConsoleBenchmark.Outcome outcome = ConsoleBenchmark.run(context);
        String target = String.format(Locale.ROOT, "<= %.0f ms", CONSOLE_TARGET_MS);
        List<ScenarioResult> rows = new ArrayList<>();
        for (ConsoleBenchmark.Timing timing : outcome.timings()) {
            String name = "console: " + timing.name();
            if (timing.failed()) {
                rows.add(ScenarioResult.failed(name, target, timing.answer()));
                continue;
            }
            LatencySummary summary = Objects.requireNonNull(timing.summary());
            ScenarioResult row = ScenarioResult.of(name, "ms max", summary.maxMillis())
                    .withLatency(summary)
                    .withTarget(target, summary.maxMillis() <= CONSOLE_TARGET_MS && outcome.countProblem() == null)
                    .withNote(String.format(Locale.ROOT, "%,d ARCHIVED + %,d DEFERRED rows, %d samples%s after %d "
                            + "warm-up requests; answered %s", outcome.archived(), outcome.deferred(), summary.count(),
                            timing.cutShort() ? " (stopped at the time limit)" : "", ConsoleBenchmark.WARMUP_REQUESTS,
                            abbreviate(timing.answer())));
            rows.add(outcome.countProblem() == null ? row : row.withNote(outcome.countProblem()));
        }
        rows.set(0, rows.get(0).withNote(outcome.dataset() + "; the spool's workers not started"));
        return rows;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static ScenarioResult ratioTarget(ScenarioResult row, double factor) {
        Double ratio = row.ratio();
        return row.withTarget(String.format(Locale.ROOT, ">= %.0fx db-scheduler", factor), ratio != null && ratio >= factor);
    }

    private static ScenarioResult rateTarget(ScenarioResult row, Producers.Outcome outcome, double target) {
        boolean met = row.retrySpool() != null && row.retrySpool() >= target && !(outcome.timedOut() && isDrain(row));
        return row.withTarget(String.format(Locale.ROOT, ">= %,.0f %s", target, RATE), met);
    }

    private static boolean isDrain(ScenarioResult row) {
        return row.scenario().endsWith("drain");
    }

    static String describe(Producers.Outcome outcome, String what) {
        return String.format(Locale.ROOT, "%,d %s in %.2f s = %,.0f/s%s", outcome.operations(), what, outcome.seconds(),
                outcome.perSecond(), outcome.timedOut() ? " (stopped at the time limit)" : "");
    }

    private static double mebibytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
