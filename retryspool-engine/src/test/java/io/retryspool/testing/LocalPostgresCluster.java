package io.retryspool.testing;


import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local PostgreSQL cluster that tests stop and start ({@code pg_ctlcluster}, as Debian installs it): the one that
 * {@link TestPostgres} found on 127.0.0.1:5432 ({@link #require()}), or a second one on 127.0.0.1:5433 for tests of
 * a spool over two databases, which {@link #requireSecond()} creates ({@code pg_createcluster}, trust authentication
 * on the loopback) and starts when it is not there. A test that stops a cluster must start it again in a
 * {@code finally}. Tests are skipped (failed when {@code CI=true}) when the clusters cannot be controlled from here.
 */
public final class LocalPostgresCluster {

    private static final Duration START_WAIT = Duration.ofSeconds(60);

    /** The second cluster's name and port. */
    private static final String SECOND_NAME = "retryspool_shard2";
    private static final int SECOND_PORT = 5433;

    private final String version;
    private final String name;
    private final int port;

    private LocalPostgresCluster(String version, String name, int port) {
        this.version = version;
        this.name = name;
        this.port = port;
    }

    /**
     * Returns a second local cluster on 127.0.0.1:5433, created and started when needed, or skips the calling test
     * when the first one is not the local cluster (failed when {@code CI=true}).
     *
     * @return the second cluster, running
     */
    public static synchronized LocalPostgresCluster requireSecond() {
        LocalPostgresCluster first = require();
        LocalPostgresCluster second = new LocalPostgresCluster(first.version, SECOND_NAME, SECOND_PORT);
        if (!Files.isDirectory(Path.of("/etc/postgresql", first.version, SECOND_NAME))) {
            runCommand(List.of("pg_createcluster", "--port", String.valueOf(SECOND_PORT), first.version, SECOND_NAME,
                    "--", "--auth-local=trust", "--auth-host=trust"));
        }
        second.start();
        return second;
    }

    /**
     * The JDBC URL of a database of this cluster, as user {@code postgres}.
     *
     * @param database the database
     * @return the URL
     */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * Returns the local cluster, or skips the calling test when tests do not run against it.
     *
     * @return the cluster
     */
    public static LocalPostgresCluster require() {
        String url = TestPostgres.requireUrl();
        String problem = null;
        String version = null;
        if (!url.startsWith("jdbc:postgresql://127.0.0.1:5432/")) {
            problem = "the test PostgreSQL is not the local cluster on 127.0.0.1:5432 (" + url + ")";
        } else {
            version = installedVersion();
            if (version == null) {
                problem = "no Debian PostgreSQL cluster under /etc/postgresql to stop and start with pg_ctlcluster";
            }
        }
        if (problem != null) {
            TestServices.missing("Outage test skipped: " + problem, "a local PostgreSQL cluster it can stop and start");
        }
        return new LocalPostgresCluster(version, "main", 5432);
    }

    private static String installedVersion() {
        Path etc = Path.of("/etc/postgresql");
        if (!Files.isDirectory(etc)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(etc)) {
            return versions.filter(dir -> Files.isDirectory(dir.resolve("main"))).map(dir -> dir.getFileName().toString())
                    .sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops the server at once, disconnecting every client ({@code -m fast}). */
    public void stop() {
        run("stop", "--mode=fast");
        if (answers()) {
            throw new IllegalStateException("PostgreSQL " + version + "/" + name + " still answers after pg_ctlcluster stop");
        }
    }

    /** Starts the server, if it is not running, and waits until it answers. */
    public void start() {
        if (!answers()) {
            run("start");
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!answers()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL " + version + "/" + name + " did not answer within " + START_WAIT);
            }
            sleep(100);
        }
    }

    private void run(String action, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect"));
        command.addAll(List.of(options));
        command.addAll(List.of(version, name, action));
        runCommand(command);
    }

    private static void runCommand(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
