package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the SQLite scenarios with tiny counts, so the harness itself is known to work; the figures mean nothing. */
class SmokeRunTests {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSqliteScenariosRunAndReportEveryFigure() throws Exception {
        try (BenchmarkContext context = new BenchmarkContext(Sizes.tiny(), BenchmarkOptions.DEFAULT_POSTGRES_URL,
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            ScenarioResult enqueue = run(context, "sqlite-enqueue").get(0);
            ScenarioResult drain = run(context, "sqlite-drain").get(0);
            ScenarioResult latency = run(context, "latency-sqlite").get(0);

            assertThat(enqueue.scenario()).isEqualTo("sqlite-enqueue");
            assertThat(enqueue.retrySpool()).isPositive();
            assertThat(enqueue.target()).isEqualTo(">= 20,000 msg/s");
            assertThat(enqueue.met()).isNotNull();
            assertThat(enqueue.notes()).singleElement().asString().startsWith("300 enqueues in");

            assertThat(drain.retrySpool()).isPositive();
            assertThat(drain.notes()).singleElement().asString().startsWith("300 messages drained in");

            assertThat(latency.p50Millis()).isNotNull().isLessThanOrEqualTo(latency.p99Millis());
            assertThat(latency.p99Millis()).isLessThanOrEqualTo(latency.maxMillis());
            assertThat(latency.notes().get(0)).startsWith("150 of 150 messages handled");
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("filled 300 messages");
    }

    @Test
    void helpPrintsTheUsageAndABadArgumentExitsWithTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int help = BenchmarkMain.run(List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int bad = BenchmarkMain.run(List.of("--only", "nope"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(help).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: BenchmarkMain").contains("big-body");
        assertThat(bad).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: --only: unknown scenario 'nope'");
    }

    private static List<ScenarioResult> run(BenchmarkContext context, String name) throws Exception {
        return Scenarios.all().stream().filter(scenario -> scenario.name().equals(name)).findFirst().orElseThrow()
                .run(context);
    }
}
