package io.retryspool.boot.autoconfigure;

import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The libraries a deployment may leave out, proven in child JVMs whose classpath really lacks them (an in-process
 * filtering class loader would not show what the JVM loads): a PostgreSQL deployment that excludes sqlite-jdbc and has
 * no zstd-jni starts and delivers; without a DataSource, or with {@code compression=zstd}, start-up fails with Boot's
 * report naming the missing library.
 */
class OptionalLibrariesTests {

    private static final long TIMEOUT_SECONDS = 120;
    /** Development-time libraries no deployment has; Docker Compose support would look for a compose file at start-up. */
    private static final List<String> DEVELOPMENT_ONLY = List.of("spring-boot-docker-compose");

    @TempDir
    Path directory;

    @Test
    void aPostgresDeploymentWithoutSqliteJdbcAndZstdJniStartsAndDelivers() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_no_sqlite", 4)) {
            Run run = run(List.of("sqlite-jdbc", "zstd-jni"), "--spring.datasource.url=" + schema.jdbcUrl(),
                    "--logging.level.io.retryspool=INFO", "--retryspool.worker.poll-interval=50ms");

            assertThat(run.output()).contains("sqlite-jdbc present: false").contains("zstd-jni present: false")
                    .contains("RetrySpool uses the application's DataSource 'dataSource' (PostgreSQL").contains("DELIVERED ");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }

    @Test
    void withoutADataSourceAndWithoutSqliteJdbcStartUpFailsNamingTheDriver() throws Exception {
        Run run = run(List.of("sqlite-jdbc"), "--retryspool.sqlite.path=" + directory.resolve("spool.db"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("APPLICATION FAILED TO START")
                .contains("the SQLite driver (org.xerial:sqlite-jdbc) is not on the classpath")
                .contains("Action:").contains("Add org.xerial:sqlite-jdbc");
    }

    @Test
    void zstdCompressionWithoutZstdJniFailsStartUpNamingTheLibrary() throws Exception {
        Run run = run(List.of("zstd-jni"), "--retryspool.sqlite.path=" + directory.resolve("spool.db"),
                "--retryspool.data.compression=zstd");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("zstd-jni present: false").contains("APPLICATION FAILED TO START")
                .contains("retryspool.data.compression=zstd needs the library zstd-jni (com.github.luben:zstd-jni)")
                .contains("Action:").contains("set retryspool.data.compression to gzip or none");
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs {@link SpoolApplicationMain} on this JVM's classpath minus the jars whose names contain one of the given names. */
    private Run run(List<String> withoutJars, String... args) throws IOException, InterruptedException {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Stream.concat(withoutJars.stream(), DEVELOPMENT_ONLY.stream())
                        .noneMatch(name -> Path.of(entry).getFileName().toString().startsWith(name)))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
                SpoolApplicationMain.class.getName()));
        command.addAll(List.of(args));
        Path output = directory.resolve("child.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM did not end within " + TIMEOUT_SECONDS + " s:\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
