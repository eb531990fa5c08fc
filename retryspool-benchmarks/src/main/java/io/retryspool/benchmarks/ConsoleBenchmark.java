package io.retryspool.benchmarks;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How fast the operator console answers at scale: a {@link ConsoleApplication} on a table of ARCHIVED and DEFERRED rows
 * ({@link ConsoleDataset}) is asked every {@link ConsoleRequest} kind over HTTP, one request at a time: a few untimed
 * warm-up requests, then the timed samples, until the sample count or the kind's time limit. A kind whose request
 * fails (not 2xx, not JSON, a dry run that says it changed something, no answer in time) is reported as failed and the
 * next kind is asked. Afterwards no row may have left ARCHIVED or DEFERRED, since only reads and dry runs were sent.
 * Only the HTTP API is used, so the measurement holds whatever the engine does behind it.
 */
final class ConsoleBenchmark {

    /** Untimed requests of each kind before its samples. */
    static final int WARMUP_REQUESTS = 3;

    /** How far the counts the application reports may be from the filled rows (estimates are allowed). */
    static final double COUNT_TOLERANCE = 0.1;

    private ConsoleBenchmark() {
    }

    /**
     * The timed samples of one request kind, or why it failed.
     *
     * @param name the kind's name
     * @param summary the percentiles of the samples, or null when a request failed
     * @param cutShort whether the time limit stopped the sampling before the sample count
     * @param answer the last answer, summarised; or why a request failed
     */
    record Timing(String name, @Nullable LatencySummary summary, boolean cutShort, String answer) {

        /** Whether a request of this kind failed. */
        boolean failed() {
            return summary == null;
        }
    }

    /**
     * What the run found.
     *
     * @param archived ARCHIVED rows in the table
     * @param deferred DEFERRED rows in the table
     * @param dataset the data set, in words
     * @param countProblem why the counts the application reported do not fit the filled rows, or null when they do
     * @param timings one per request kind, in the order of {@link ConsoleRequest#all}
     */
    record Outcome(int archived, int deferred, String dataset, @Nullable String countProblem, List<Timing> timings) {
    }

    static Outcome run(BenchmarkContext context) throws Exception {
        Sizes sizes = context.sizes();
        try (ConsoleDataset data = ConsoleDataset.prepare(context, sizes.consoleArchived(), sizes.consoleDeferred())) {
            List<Timing> timings = new ArrayList<>();
            String countProblem;
            long started = System.nanoTime();
            try (ConsoleApplication.Running application = ConsoleApplication.start(data.jdbcUrl())) {
                context.log("application started in %.1f s at %s", (System.nanoTime() - started) / 1e9,
                        application.baseUri());
                ConsoleClient client = new ConsoleClient(application.baseUri());
                JsonNode overview = client.send(ConsoleRequest.dashboardOverview()).json();
                context.log("the overview's counts: %s", ConsoleClient.summary(overview.path("counts")));
                countProblem = countProblem(overview.path("counts"), data);
                if (countProblem != null) {
                    context.log("WARNING: %s", countProblem);
                }
                JsonNode firstPage = client.send(ConsoleRequest.firstDeferredPage()).json();
                String cursor = firstPage.path("nextCursor").asString("");
                String messageId = firstPage.path("items").path(0).path("id").asString("");
                if (cursor.isEmpty() || messageId.isEmpty()) {
                    throw new IllegalStateException("the first DEFERRED page has no next cursor or no message: "
                            + ConsoleClient.summary(firstPage));
                }
                for (ConsoleRequest request : ConsoleRequest.all(cursor, messageId)) {
                    Timing timing = time(client, request, sizes);
                    if (timing.failed()) {
                        context.log("%s: FAILED: %s", timing.name(), timing.answer());
                    } else {
                        LatencySummary summary = Objects.requireNonNull(timing.summary());
                        context.log("%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d samples%s; %s", timing.name(),
                                summary.p50Millis(), summary.p99Millis(), summary.maxMillis(), summary.count(),
                                timing.cutShort() ? " (time limit)" : "", timing.answer());
                    }
                    timings.add(timing);
                }
            }
            data.checkUntouched();
            return new Outcome(data.archived(), data.deferred(), data.describe(), countProblem, timings);
        }
    }

    private static Timing time(ConsoleClient client, ConsoleRequest request, Sizes sizes) throws InterruptedException {
        long deadline = System.nanoTime() + sizes.consoleTimeLimit().toNanos();
        List<Long> samples = new ArrayList<>();
        ConsoleClient.Answer last;
        try {
            for (int i = 0; i < WARMUP_REQUESTS && System.nanoTime() < deadline; i++) {
                client.send(request);
            }
            do {
                last = client.send(request);
                samples.add(last.nanos());
            } while (samples.size() < sizes.consoleSamples() && System.nanoTime() < deadline);
        } catch (IOException e) {
            return new Timing(request.name(), null, false, String.valueOf(e.getMessage()));
        }
        LatencySummary summary = LatencySummary.of(samples.stream().mapToLong(Long::longValue).toArray());
        return new Timing(request.name(), summary, samples.size() < sizes.consoleSamples(),
                ConsoleClient.summary(last.json()));
    }

    /** Why the reported counts of ARCHIVED and DEFERRED do not fit the filled rows, or null when they do. */
    private static @Nullable String countProblem(JsonNode counts, ConsoleDataset data) {
        List<String> problems = new ArrayList<>();
        check(problems, counts.path("ARCHIVED"), "ARCHIVED", data.archived());
        check(problems, counts.path("DEFERRED"), "DEFERRED", data.deferred());
        return problems.isEmpty() ? null : "the application's overview does not fit the table: "
                + String.join("; ", problems) + ". Was the table filled past something the spool maintains?";
    }

    /** Checks a count that is a number; the log shows any other form it may take. */
    private static void check(List<String> problems, JsonNode reported, String state, int filled) {
        if (reported.isNumber() && Math.abs(reported.asLong() - filled) > COUNT_TOLERANCE * filled) {
            problems.add(String.format(Locale.ROOT, "%s is %,d for %,d rows", state, reported.asLong(), filled));
        }
    }
}
