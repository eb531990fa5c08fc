package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the console scenario with tiny counts on the local PostgreSQL, so the harness is known to fill, start, ask and
 * report; the figures mean nothing.
 */
class ConsoleScenarioTests {

    private static final Pattern SCHEMA = Pattern.compile("into schema (bench_[0-9a-f]+) \\(throwaway");

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyRequestKindIsTimedAndTheThrowawaySchemaIsDropped() throws Exception {
        String url = TestPostgres.requireUrl();
        List<ScenarioResult> rows;
        try (BenchmarkContext context = new BenchmarkContext(Sizes.tiny(), url,
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
            rows = Scenarios.all().stream().filter(scenario -> scenario.name().equals("console")).findFirst()
                    .orElseThrow().run(context);

            Matcher schema = SCHEMA.matcher(console.toString(StandardCharsets.UTF_8));
            assertThat(schema.find()).as("the log names the throwaway schema").isTrue();
            assertThat(TestPostgres.schemaExists(url, schema.group(1))).as("schema %s", schema.group(1)).isFalse();
        }

        assertThat(rows).extracting(ScenarioResult::scenario).containsExactly(
                "console: dashboard overview",
                "console: dashboard backlog",
                "console: dashboard DEFERRED page",
                "console: dashboard DEFERRED next page",
                "console: dashboard ARCHIVED page",
                "console: dashboard DEFERRED by header",
                "console: dashboard DEFERRED by error",
                "console: dashboard message",
                "console: dashboard bulk dry run by header",
                "console: dashboard bulk dry run by age",
                "console: endpoint overview",
                "console: endpoint backlog",
                "console: endpoint DEFERRED page",
                "console: endpoint ARCHIVED page",
                "console: endpoint bulk dry run by header",
                "console: endpoint bulk dry run without filter",
                "console: health");
        assertThat(rows).allSatisfy(ConsoleScenarioTests::assertTimed);
        assertThat(rows.get(0).notes()).anySatisfy(note -> assertThat(note)
                .contains("2,000 ARCHIVED + 500 DEFERRED rows without bodies").contains("throwaway"));
        assertThat(rows.get(8).notes().get(0)).contains("changed=0");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("the overview's counts: INCOMING=0 ACTIVE=0 DEFERRED=500 HOLD=0 BOUNCE=0 ARCHIVED=2000")
                .doesNotContain("WARNING");
    }

    private static void assertTimed(ScenarioResult row) {
        assertThat(row.unit()).isEqualTo("ms max");
        assertThat(row.p50Millis()).isPositive().isLessThanOrEqualTo(row.p99Millis());
        assertThat(row.p99Millis()).isLessThanOrEqualTo(row.maxMillis());
        assertThat(row.retrySpool()).isEqualTo(row.maxMillis());
        assertThat(row.target()).isEqualTo("<= 300 ms");
        assertThat(row.met()).isNotNull();
        assertThat(row.notes().get(0)).startsWith("2,000 ARCHIVED + 500 DEFERRED rows, 3 samples after 3 warm-up");
    }
}
