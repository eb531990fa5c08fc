package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchmarkOptionsTests {

    private static final Set<String> SCENARIOS = Scenarios.descriptions().keySet();

    @TempDir
    Path repository;

    @Test
    void withoutArgumentsItRunsEverythingQuicklyOnTheLocalPostgresIntoDocsBenchmarks() throws IOException {
        Path module = repositoryWithModule();

        BenchmarkOptions options = BenchmarkOptions.parse(List.of(), Map.of(), module, SCENARIOS);

        assertThat(options.mode()).isEqualTo(Mode.QUICK);
        assertThat(options.postgresUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThat(options.only()).isEmpty();
        assertThat(options.outDirectory()).isEqualTo(repository.toAbsolutePath().resolve("docs/benchmarks"));
        assertThat(options.help()).isFalse();
    }

    @Test
    void thePostgresUrlComesFromTheEnvironmentUnlessGiven() {
        Map<String, String> environment = Map.of("RETRYSPOOL_TEST_POSTGRES_URL", "jdbc:postgresql://db:5432/x");

        assertThat(BenchmarkOptions.parse(List.of(), environment, repository, SCENARIOS).postgresUrl())
                .isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(BenchmarkOptions.parse(List.of("--postgres-url", "jdbc:postgresql://other/y"), environment,
                repository, SCENARIOS).postgresUrl()).isEqualTo("jdbc:postgresql://other/y");
    }

    @Test
    void optionsTakeTheirValueNextOrAfterAnEqualsSign() {
        BenchmarkOptions options = BenchmarkOptions.parse(
                List.of("--full", "--only=pg-drain,latency-pg", "--out", "results", "--postgres-url=jdbc:postgresql://h/d"),
                Map.of(), repository, SCENARIOS);

        assertThat(options.mode()).isEqualTo(Mode.FULL);
        assertThat(options.only()).containsExactly("pg-drain", "latency-pg");
        assertThat(options.outDirectory()).isEqualTo(repository.resolve("results"));
        assertThat(options.postgresUrl()).isEqualTo("jdbc:postgresql://h/d");
    }

    @Test
    void helpIsRecognisedInBothSpellings() {
        assertThat(BenchmarkOptions.parse(List.of("--help"), Map.of(), repository, SCENARIOS).help()).isTrue();
        assertThat(BenchmarkOptions.parse(List.of("-h"), Map.of(), repository, SCENARIOS).help()).isTrue();
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkOptions.parse(List.of("--only", "pg-drian"), Map.of(), repository, SCENARIOS))
                .withMessageContaining("pg-drian").withMessageContaining("pg-drain");
    }

    @Test
    void badCommandLinesAreRefusedNamingTheArgument() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkOptions.parse(List.of("--quick", "--full"), Map.of(), repository, SCENARIOS))
                .withMessageContaining("--quick and --full");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkOptions.parse(List.of("--out"), Map.of(), repository, SCENARIOS))
                .withMessageContaining("--out");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkOptions.parse(List.of("--only", "--quick"), Map.of(), repository, SCENARIOS))
                .withMessageContaining("--only");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkOptions.parse(List.of("--fast"), Map.of(), repository, SCENARIOS))
                .withMessageContaining("--fast");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BenchmarkOptions.parse(List.of("--postgres-url", "jdbc:mysql://h/d"), Map.of(),
                        repository, SCENARIOS))
                .withMessageContaining("--postgres-url");
    }

    @Test
    void theUsageListsEveryScenario() {
        String usage = BenchmarkOptions.usage(Scenarios.descriptions());

        assertThat(usage).contains("--quick", "--full", "--postgres-url", "--only", "--out", "--help", "-Xmx256m");
        SCENARIOS.forEach(name -> assertThat(usage).contains(name));
    }

    private Path repositoryWithModule() throws IOException {
        Files.createFile(repository.resolve("mvnw"));
        return Files.createDirectories(repository.resolve("retryspool-benchmarks"));
    }
}
