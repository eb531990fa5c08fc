package io.retryspool.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Single enqueues as producers grow, on pools of {@value #POOL_SIZE} connections: RetrySpool beside db-scheduler's
 * {@code schedule()}, and RetrySpool's share of its own {@code enqueueAll} rate ({@value #REFERENCE_THREADS} threads,
 * batches of {@value Scenarios#ENQUEUE_ALL_BATCH}) as the reference. The smaller producer counts run once each. The
 * largest, which carries the target, runs in {@value #ROUNDS} rounds of RetrySpool, db-scheduler and the reference in
 * turn and is judged on the three medians: one run of each swings with the machine (another guest's load, the JIT), and
 * rounds in turn expose all three to the same swings. The reference comes last in each round, so that it runs with the
 * JIT at least as warm as RetrySpool and RetrySpool's share of it is not flattered. Each round also measures, for
 * information, {@code enqueueAll} with as many messages in flight as the producers have (the reference's threads, each
 * with an equal share per call): what the database stores when its commits wait in the same groups. Each run records
 * its CPU time ({@link CpuUse}), so the note tells what a message cost the JVM and PostgreSQL.
 */
final class ProducerGrowthBenchmark {

    /** Producer thread counts, the last one held to the target. */
    static final List<Integer> PRODUCER_COUNTS = List.of(5, 20, 50);
    /** Connections of every pool, RetrySpool's and db-scheduler's. */
    static final int POOL_SIZE = 10;
    /** Threads of the {@code enqueueAll} reference. */
    static final int REFERENCE_THREADS = 2;
    /** Rounds of the largest producer count. */
    static final int ROUNDS = 3;
    static final double RATIO_TARGET = 5;
    static final double REFERENCE_SHARE_TARGET = 0.6;

    private ProducerGrowthBenchmark() {
    }

    /**
     * One round of the largest producer count: RetrySpool, db-scheduler, the reference, then {@code enqueueAll} with
     * the producers' messages in flight.
     */
    private record Round(Producers.Outcome spool, Producers.Outcome peer, Producers.Outcome reference,
                         Producers.Outcome sameInFlight) {
    }

    /**
     * Runs the scenario.
     *
     * @param context the run
     * @return one row per producer count, the last with the target
     * @throws Exception when a run fails
     */
    static List<ScenarioResult> run(BenchmarkContext context) throws Exception {
        List<Integer> smaller = PRODUCER_COUNTS.subList(0, PRODUCER_COUNTS.size() - 1);
        int most = PRODUCER_COUNTS.get(PRODUCER_COUNTS.size() - 1);
        List<Producers.Outcome> spool = new ArrayList<>();
        List<Producers.Outcome> peer = new ArrayList<>();
        for (int producers : smaller) {
            spool.add(spool(context, producers));
            peer.add(peer(context, producers));
        }
        List<Round> rounds = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            rounds.add(new Round(spool(context, most), peer(context, most), reference(context),
                    sameInFlight(context, most)));
            context.log("%d producers, round %d of %d done", most, round, ROUNDS);
        }
        double reference = median(rounds, Round::reference).perSecond();
        String referenceNote = String.format(Locale.ROOT, "enqueueAll reference (%d threads, batches of %d), median "
                + "of %d rounds: %,.0f messages/s", REFERENCE_THREADS, Scenarios.ENQUEUE_ALL_BATCH, ROUNDS, reference);
        List<ScenarioResult> rows = new ArrayList<>();
        for (int i = 0; i < smaller.size(); i++) {
            rows.add(smallerRow(smaller.get(i), spool.get(i), peer.get(i), reference, referenceNote));
        }
        rows.add(largestRow(most, rounds, reference, referenceNote));
        return rows;
    }

    private static ScenarioResult smallerRow(int producers, Producers.Outcome spool, Producers.Outcome peer,
                                             double reference, String referenceNote) {
        return ScenarioResult.of(name(producers), Scenarios.RATE, spool.perSecond()).withPeer(peer.perSecond())
                .withNote(String.format(Locale.ROOT, "RetrySpool %s; db-scheduler %s; %s; RetrySpool at %.0f%% of it",
                        Scenarios.describe(spool, "enqueues"), Scenarios.describe(peer, "schedules"), referenceNote,
                        100 * spool.perSecond() / reference));
    }

    private static ScenarioResult largestRow(int producers, List<Round> rounds, double reference,
                                             String referenceNote) {
        Producers.Outcome medianSpool = median(rounds, Round::spool);
        Round median = rounds.stream().filter(round -> round.spool() == medianSpool).findFirst().orElseThrow();
        double spool = median.spool().perSecond();
        double share = spool / reference;
        ScenarioResult row = ScenarioResult.of(name(producers), Scenarios.RATE, spool)
                .withPeer(median(rounds, Round::peer).perSecond())
                .withNote(String.format(Locale.ROOT, "medians of %d rounds; RetrySpool %s enqueues/s; db-scheduler %s "
                        + "schedules/s; reference %s messages/s; %s; RetrySpool at %.0f%% of it", ROUNDS,
                        rates(rounds, Round::spool), rates(rounds, Round::peer), rates(rounds, Round::reference),
                        referenceNote, 100 * share))
                .withNote("RetrySpool's median round: " + cpu(median.spool(), "message") + "; that round's reference: "
                        + cpu(median.reference(), "message"))
                .withNote(sameInFlightNote(producers, rounds, spool));
        Double ratio = row.ratio();
        boolean timedOut = rounds.stream().anyMatch(round -> round.spool().timedOut());
        return row.withTarget(String.format(Locale.ROOT, ">= %.0fx db-scheduler and >= %.0f%% of enqueueAll",
                RATIO_TARGET, 100 * REFERENCE_SHARE_TARGET),
                !timedOut && ratio != null && ratio >= RATIO_TARGET && share >= REFERENCE_SHARE_TARGET);
    }

    private static Producers.Outcome spool(BenchmarkContext context, int producers) throws Exception {
        Producers.Outcome outcome = SpoolThroughput.enqueue(context, Backend.POSTGRES, producers, POOL_SIZE);
        context.log("%d producers: RetrySpool %s; %s", producers, Scenarios.describe(outcome, "enqueues"),
                cpu(outcome, "enqueue"));
        return outcome;
    }

    private static Producers.Outcome peer(BenchmarkContext context, int producers) throws Exception {
        Producers.Outcome outcome = DbSchedulerPeer.enqueue(context, producers, POOL_SIZE);
        context.log("%d producers: db-scheduler %s", producers, Scenarios.describe(outcome, "schedules"));
        return outcome;
    }

    private static Producers.Outcome reference(BenchmarkContext context) throws Exception {
        Producers.Outcome outcome = SpoolThroughput.enqueueAll(context, Backend.POSTGRES, REFERENCE_THREADS,
                Scenarios.ENQUEUE_ALL_BATCH, POOL_SIZE);
        context.log("enqueueAll reference: %s; %s", Scenarios.describe(outcome, "messages"), cpu(outcome, "message"));
        return outcome;
    }

    /**
     * {@code enqueueAll} with {@code producers} messages in flight: {@value #REFERENCE_THREADS} threads, each with
     * an equal share of them per call.
     */
    private static Producers.Outcome sameInFlight(BenchmarkContext context, int producers) throws Exception {
        Producers.Outcome outcome = SpoolThroughput.enqueueAll(context, Backend.POSTGRES, REFERENCE_THREADS,
                producers / REFERENCE_THREADS, POOL_SIZE);
        context.log("enqueueAll with %d in flight: %s", producers, Scenarios.describe(outcome, "messages"));
        return outcome;
    }

    private static String sameInFlightNote(int producers, List<Round> rounds, double spool) {
        double median = median(rounds, Round::sameInFlight).perSecond();
        return String.format(Locale.ROOT, "for information, not the target: enqueueAll with the same %d messages in "
                + "flight (groups of %d from %d threads) %s messages/s, median %,.0f; RetrySpool at %.0f%% of it",
                producers, producers / REFERENCE_THREADS, REFERENCE_THREADS, rates(rounds, Round::sameInFlight), median,
                100 * spool / median);
    }

    /** The run with the median rate of one kind across the rounds (the upper one of an even count). */
    private static Producers.Outcome median(List<Round> rounds, Function<Round, Producers.Outcome> kind) {
        List<Producers.Outcome> sorted = rounds.stream().map(kind)
                .sorted(Comparator.comparingDouble(Producers.Outcome::perSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The rates of one kind in round order, e.g. {@code 31,002 / 29,410 / 33,871}. */
    private static String rates(List<Round> rounds, Function<Round, Producers.Outcome> kind) {
        return rounds.stream().map(kind).map(outcome -> String.format(Locale.ROOT, "%,.0f%s", outcome.perSecond(),
                outcome.timedOut() ? " (stopped at the time limit)" : "")).collect(Collectors.joining(" / "));
    }

    private static String cpu(Producers.Outcome outcome, String what) {
        CpuUse cpu = outcome.cpu();
        return cpu == null ? "CPU not measured" : cpu.describe(outcome.operations(), what);
    }

    private static String name(int producers) {
        return "pg-enqueue-producers (" + producers + ")";
    }
}
