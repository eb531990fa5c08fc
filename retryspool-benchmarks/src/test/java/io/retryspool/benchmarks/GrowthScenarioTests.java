package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the scenarios on costs that should stay flat as work grows with tiny counts on the local PostgreSQL, so the
 * harness is known to measure and report them; the figures mean nothing.
 */
class GrowthScenarioTests {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void enqueueIsReportedPerProducerCountWithThePeerAndTheEnqueueAllReferenceAndTheLargestCountInRounds()
            throws Exception {
        List<ScenarioResult> rows = run("pg-enqueue-producers");

        assertThat(rows).extracting(ScenarioResult::scenario).containsExactly("pg-enqueue-producers (5)",
                "pg-enqueue-producers (20)", "pg-enqueue-producers (50)");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.retrySpool()).isPositive();
            assertThat(row.dbScheduler()).isPositive();
            assertThat(row.ratio()).isPositive();
            assertThat(row.notes().get(0)).contains("enqueueAll reference (2 threads, batches of 100), median of 3 "
                    + "rounds: ").containsPattern("RetrySpool at \\d+% of it$");
        });
        assertThat(rows.subList(0, 2)).allSatisfy(row -> {
            assertThat(row.target()).isNull();
            assertThat(row.notes()).singleElement().asString().startsWith("RetrySpool 300 enqueues in")
                    .contains("db-scheduler 300 schedules in");
        });
        ScenarioResult largest = rows.get(2);
        assertThat(largest.target()).isEqualTo(">= 5x db-scheduler and >= 60% of enqueueAll");
        assertThat(largest.met()).isNotNull();
        assertThat(largest.notes()).hasSize(3);
        assertThat(largest.notes().get(0)).containsPattern("^medians of 3 rounds; RetrySpool [\\d,]+ / [\\d,]+ / "
                + "[\\d,]+ enqueues/s; db-scheduler [\\d,]+ / [\\d,]+ / [\\d,]+ schedules/s; reference [\\d,]+ / "
                + "[\\d,]+ / [\\d,]+ messages/s; ");
        assertThat(largest.notes().get(1)).containsPattern("^RetrySpool's median round: CPU per message: JVM "
                + "[\\d.]+ µs, PostgreSQL [\\d.]+ µs; processors \\d+% busy, \\d+% stolen; that round's reference: "
                + "CPU per message: JVM [\\d.]+ µs, PostgreSQL [\\d.]+ µs; processors \\d+% busy, \\d+% stolen$");
        assertThat(largest.notes().get(2)).containsPattern("^for information, not the target: enqueueAll with the same 50 "
                + "messages in flight \\(groups of 25 from 2 threads\\) [\\d,]+ / [\\d,]+ / [\\d,]+ messages/s, median "
                + "[\\d,]+; RetrySpool at \\d+% of it$");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("50 producers, round 3 of 3 done")
                .contains("enqueueAll with 50 in flight: ");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void drainIsReportedWithAShallowAndADeepBacklog() throws Exception {
        List<ScenarioResult> rows = run("pg-drain-backlog");

        assertThat(rows).extracting(ScenarioResult::scenario).containsExactly("pg-drain-backlog (200 waiting)",
                "pg-drain-backlog (2,000 waiting)");
        assertThat(rows).allSatisfy(row -> assertThat(row.retrySpool()).isPositive());
        assertThat(rows.get(0).target()).isNull();
        assertThat(rows.get(0).notes()).singleElement().asString().startsWith("400 messages drained in")
                .endsWith("in 2 round(s) of 200, topped up to 200 waiting before each (untimed)");
        assertThat(rows.get(1).target()).isEqualTo(">= 80% of the rate with 200 waiting");
        assertThat(rows.get(1).met()).isNotNull();
        assertThat(rows.get(1).notes()).hasSize(2);
        assertThat(rows.get(1).notes().get(0)).startsWith("400 messages drained in")
                .endsWith("in 2 round(s) of 200, topped up to 2,000 waiting before each (untimed)");
        assertThat(rows.get(1).notes().get(1)).matches("\\d+% of the rate with 200 waiting \\(that run came second\\)");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("round 2: ").contains(" 2,000 waiting, vacuumed");
    }

    private List<ScenarioResult> run(String name) throws Exception {
        String url = TestPostgres.requireUrl();
        try (BenchmarkContext context = new BenchmarkContext(Sizes.tiny(), url,
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            return Scenarios.all().stream().filter(scenario -> scenario.name().equals(name)).findFirst().orElseThrow()
                    .run(context);
        }
    }
}
