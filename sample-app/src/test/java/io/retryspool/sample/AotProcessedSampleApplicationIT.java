package io.retryspool.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app runs from its AOT-processed form ({@code spring-boot-maven-plugin:process-aot}, bound to
 * prepare-package, so this runs in {@code verify}): a child JVM started with {@code -Dspring.aot.enabled=true} on
 * the application's classes and runtime classpath (as the pom writes them, no test libraries) and embedded SQLite,
 * driven over its HTTP API only, accepts a notification and delivers it, then stops.
 */
class AotProcessedSampleApplicationIT {

    private static final String INITIALIZER = "io/retryspool/sample/SampleApplication__ApplicationContextInitializer.class";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path directory;

    private Process application;

    @AfterEach
    void stop() throws InterruptedException {
        if (application != null && application.isAlive()) {
            application.destroy();
            if (!application.waitFor(30, TimeUnit.SECONDS)) {
                application.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theAotProcessedApplicationStartsAndDeliversANotification() throws Exception {
        assertThat(Path.of(System.getProperty("sample.classes")).resolve(INITIALIZER))
                .as("the AOT-generated initializer (spring-boot-maven-plugin:process-aot at prepare-package)")
                .exists();
        int port = freePort();
        Path log = directory.resolve("application.log");
        application = start(port, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + port);

        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            String output = Files.readString(log);
            assertThat(application.isAlive()).as("the application exited:%n%s", output).isTrue();
            assertThat(output).contains("Started SampleApplication");
        });
        assertThat(Files.readString(log)).as("Spring ran the AOT-generated initializer")
                .contains("Starting AOT-processed SampleApplication");

        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(base.resolve("/notifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"recipient\":\"ada@example.com\",\"subject\":\"AOT\",\"body\":\"Hello from AOT\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        Matcher id = ID.matcher(accepted.body());
        assertThat(id.find()).as(accepted.body()).isTrue();

        HttpRequest status = HttpRequest.newBuilder(base.resolve("/notifications/" + id.group(1))).GET().build();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                http.send(status, HttpResponse.BodyHandlers.ofString()).body().contains("\"state\":\"ARCHIVED\""));
        assertThat(http.send(status, HttpResponse.BodyHandlers.ofString()).body()).contains("\"attempts\":1");
    }

    private Process start(int port, Path log) throws IOException {
        String classpath = System.getProperty("sample.classes") + File.pathSeparator
                + Files.readString(Path.of(System.getProperty("sample.runtime-classpath-file"))).trim();
        List<String> command = List.of(javaExecutable(), "-Xmx256m", "-Dspring.aot.enabled=true",
                "-cp", classpath, SampleApplication.class.getName(),
                "--server.port=" + port,
                "--retryspool.sqlite.path=" + directory.resolve("spool.db"),
                "--retryspool.worker.poll-interval=100ms",
                "--retryspool.archive.success=true",
                "--sample.delivery.failure-rate=0",
                "--sample.delivery.permanent-failure-rate=0");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
