package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A spool worker process for {@link KilledProcessRecoveryTests}, started in a child JVM by {@link ChildJvm}.
 * It opens the database, starts a spool that archives delivered messages, holds leases of
 * {@link #LEASE_TIMEOUT} and runs four handlers; each handler prints {@code STARTED <id>} and then takes
 * {@code handlerMillis} per message. It runs until it is killed, until its stdin reaches end of file (the
 * test JVM went away), or for {@link #MAX_RUNTIME} at most, so that it never outlives a test run.
 *
 * <p>Arguments: {@code sqlite <database file> | postgresql <jdbc url>}, then the instance id and the handler's
 * time per message in milliseconds.
 */
public final class SpoolWorkerMain {

    /** The lease timeout of the worker, which the recovering spool uses as well. */
    static final Duration LEASE_TIMEOUT = Duration.ofSeconds(3);
    /** How often the worker polls for due messages. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** The worker's handler threads. */
    static final int CONCURRENCY = 4;
    /**
     * The worker's claim batch: small enough that the messages it holds (at most concurrency + two batches) are
     * fewer than the test enqueues, so some are still INCOMING when it is killed.
     */
    static final int BATCH_SIZE = 25;
    /** The line a worker prints once its spool is started. */
    static final String READY = "READY";
    /** The prefix of the line a handler prints when it starts on a message. */
    static final String STARTED = "STARTED ";

    private static final Duration MAX_RUNTIME = Duration.ofMinutes(3);

    private SpoolWorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args {@code sqlite|postgresql}, the database file or JDBC URL, the instance id, the handler's
     *             milliseconds per message
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SpoolWorkerMain sqlite|postgresql <file-or-url> <instance-id> <handler-millis>");
            System.exit(2);
        }
        long handlerMillis = Long.parseLong(args[3]);
        HikariDataSource dataSource = open(args[0], args[1]);
        RetrySpool spool = RetrySpool.builder()
                .jdbc(dataSource)
                .archiveSuccess(true)
                .leaseTimeout(LEASE_TIMEOUT)
                .pollInterval(POLL_INTERVAL)
                .concurrency(CONCURRENCY)
                .batchSize(BATCH_SIZE)
                .instanceId(args[2])
                .handler((context, message, body) -> {
                    System.out.println(STARTED + message.id());
                    body.readAllBytes();
                    Thread.sleep(handlerMillis);
                })
                .build();
        spool.start();
        System.out.println(READY);
        exitWhenParentGoes();
        spool.close();
        dataSource.close();
    }

    /**
     * Returns once stdin reaches end of file (the parent test JVM went away); halts the process if that takes
     * longer than {@link #MAX_RUNTIME}, so that a child never outlives a test run.
     */
    static void exitWhenParentGoes() throws java.io.IOException {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(MAX_RUNTIME.toMillis());
                System.out.println("giving up after " + MAX_RUNTIME);
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        while (System.in.read() >= 0) {
            // the parent never writes; end of file means it is gone
        }
        System.out.println("stdin closed; stopping");
    }

    /** Opens a pool on an SQLite file or a PostgreSQL URL. */
    static HikariDataSource open(String kind, String location) {
        switch (kind) {
            case "sqlite":
                return SqliteDataSources.create(Path.of(location));
            case "postgresql":
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(location);
                config.setMaximumPoolSize(CONCURRENCY + 4);
                config.setPoolName("spool-worker");
                return new HikariDataSource(config);
            default:
                throw new IllegalArgumentException("kind: expected sqlite or postgresql, was " + kind);
        }
    }
}
