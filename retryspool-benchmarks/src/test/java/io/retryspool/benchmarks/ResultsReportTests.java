package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsReportTests {

    private static final MachineInfo MACHINE = new MachineInfo(2, "23.5 GiB", "OpenJDK 17", "Linux 6.1 amd64",
            "PostgreSQL 15.20 on x86_64", 256L * 1024 * 1024);

    private final ResultsReport report = new ResultsReport(Instant.parse("2026-11-22T12:00:00Z"), Duration.ofSeconds(95),
            Mode.QUICK, "./mvnw -B -Pbenchmark -pl retryspool-benchmarks -am -DskipTests package", MACHINE, List.of(
                    ScenarioResult.of("pg-enqueue", "msg/s", 34_567.8).withPeer(11_500.0)
                            .withTarget(">= 3x db-scheduler", true).withNote("20,000 enqueues in 0.58 s"),
                    ScenarioResult.of("latency-pg", "ms max", 21.5)
                            .withLatency(new LatencySummary(3000, 1_234_000, 12_500_000, 21_500_000))
                            .withTarget("p50 < 5 ms, p99 < 50 ms", true),
                    ScenarioResult.of("pg-fs-enqueue", "msg/s", 9_000.0),
                    ScenarioResult.failed("idle-cost", "<= 5 queries/s", "PostgreSQL unreachable")));

    @Test
    void theRatioIsTakenOnlyWhereAPeerRan() {
        assertThat(report.results().get(0).ratio()).isCloseTo(3.006, org.assertj.core.data.Offset.offset(0.001));
        assertThat(report.results().get(2).ratio()).isNull();
    }

    @Test
    void cellsFormatFiguresUnitsRatiosAndVerdicts() {
        List<List<String>> cells = report.cells();

        assertThat(cells.get(0)).containsExactly("pg-enqueue", "34,568 msg/s", "11,500 msg/s", "3.0x", "-", "-",
                ">= 3x db-scheduler", "yes");
        assertThat(cells.get(1)).containsExactly("latency-pg", "21.5 ms max", "-", "-", "1.23 ms", "12.5 ms",
                "p50 < 5 ms, p99 < 50 ms", "yes");
        assertThat(cells.get(2)).containsExactly("pg-fs-enqueue", "9,000 msg/s", "-", "-", "-", "-", "-", "-");
        assertThat(cells.get(3)).containsExactly("idle-cost", "-", "-", "-", "-", "-", "<= 5 queries/s", "NO");
    }

    @Test
    void theConsoleTableAlignsItsColumnsAndListsTheNotes() {
        String table = report.consoleTable();
        List<String> lines = table.lines().toList();

        assertThat(lines.get(0)).startsWith("scenario").contains(" RetrySpool |", "| db-scheduler |", "| met");
        assertThat(lines.subList(0, 6)).extracting(String::length).containsOnly(lines.get(0).length());
        assertThat(lines.get(1)).matches("[-+]+");
        assertThat(table).contains("- pg-enqueue: 20,000 enqueues in 0.58 s", "- idle-cost: FAILED: PostgreSQL unreachable");
    }

    @Test
    void theMarkdownHasTheMachineTheCommandAndTheTable() {
        String markdown = report.markdown();

        assertThat(markdown).contains("# RetrySpool benchmark results", "2026-11-22 12:00:00 UTC", "2 processors (nproc)",
                "23.5 GiB", "OpenJDK 17", "max heap 256 MiB", "PostgreSQL 15.20",
                "`./mvnw -B -Pbenchmark -pl retryspool-benchmarks -am -DskipTests package`", "db-scheduler");
        assertThat(markdown).contains("| scenario | RetrySpool | db-scheduler | ratio | p50 | p99 | target | met |",
                "|---|---:|---:|---:|---:|---:|---|:---:|",
                "| pg-enqueue | 34,568 msg/s | 11,500 msg/s | 3.0x | - | - | >= 3x db-scheduler | yes |");
        assertThat(markdown).contains("- pg-enqueue: 20,000 enqueues in 0.58 s");
    }

    @Test
    void theJsonHoldsNumbersAndNullsNotFormattedText() {
        JsonNode root = JsonMapper.builder().build().readTree(report.json());

        assertThat(root.get("mode").asString()).isEqualTo("quick");
        assertThat(root.get("runSeconds").asDouble()).isEqualTo(95.0);
        assertThat(root.get("machine").get("processors").asInt()).isEqualTo(2);
        assertThat(root.get("machine").get("maxHeapBytes").asLong()).isEqualTo(256L * 1024 * 1024);
        JsonNode first = root.get("results").get(0);
        assertThat(first.get("scenario").asString()).isEqualTo("pg-enqueue");
        assertThat(first.get("retrySpool").asDouble()).isEqualTo(34_567.8);
        assertThat(first.get("dbScheduler").asDouble()).isEqualTo(11_500.0);
        assertThat(first.get("ratio").asDouble()).isEqualTo(3.01);
        assertThat(first.get("p50Ms").isNull()).isTrue();
        assertThat(first.get("met").asBoolean()).isTrue();
        assertThat(first.get("notes").get(0).asString()).isEqualTo("20,000 enqueues in 0.58 s");
        JsonNode latency = root.get("results").get(1);
        assertThat(latency.get("p50Ms").asDouble()).isEqualTo(1.234);
        assertThat(latency.get("p99Ms").asDouble()).isEqualTo(12.5);
        assertThat(root.get("results").get(2).get("met").isNull()).isTrue();
        assertThat(root.get("results")).hasSize(4);
    }
}
