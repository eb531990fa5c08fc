package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.retry.FixedRetryPolicy;

import java.time.Duration;

/**
 * A spool worker process for {@link PoisonMessageCrashTests}, started in a child JVM by {@link ChildJvm}: a message
 * with the header {@value #POISON_HEADER} kills the process ({@code Runtime.halt}, as a native crash or an
 * OutOfMemoryError with ExitOnOutOfMemoryError would), every other message is delivered and archived. Leases last
 * {@link #LEASE_TIMEOUT}, failed attempts are retried after {@link #RETRY_INTERVAL}, and a message has
 * {@link #MAX_ATTEMPTS} attempts unless it says otherwise. Runs until it halts, is killed, or its stdin closes.
 *
 * <p>Arguments: {@code sqlite <database file> | postgresql <jdbc url>}, then the instance id.
 */
public final class CrashingWorkerMain {

    /** The header that makes the handler kill its process. */
    static final String POISON_HEADER = "poison";
    /** The exit code of a process the poison message killed. */
    static final int HALT_CODE = 42;
    static final Duration LEASE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration RETRY_INTERVAL = Duration.ofMillis(200);
    static final int MAX_ATTEMPTS = 3;
    /** The line printed once the spool runs. */
    static final String READY = "READY";

    private CrashingWorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args {@code sqlite|postgresql}, the database file or JDBC URL, the instance id
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: CrashingWorkerMain sqlite|postgresql <file-or-url> <instance-id>");
            System.exit(2);
        }
        HikariDataSource dataSource = SpoolWorkerMain.open(args[0], args[1]);
        RetrySpool spool = RetrySpool.builder()
                .jdbc(dataSource)
                .archiveSuccess(true)
                .maxAttempts(MAX_ATTEMPTS)
                .leaseTimeout(LEASE_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .retryPolicy(FixedRetryPolicy.of(RETRY_INTERVAL))
                .concurrency(2)
                .batchSize(5)
                .instanceId(args[2])
                .handler((context, message, body) -> {
                    if (message.metadata().headers().containsKey(POISON_HEADER)) {
                        System.out.println("HALTING on " + message.id() + " attempt " + context.attempt());
                        System.out.flush();
                        Runtime.getRuntime().halt(HALT_CODE);
                    }
                    body.readAllBytes();
                })
                .build();
        spool.start();
        System.out.println(READY);
        SpoolWorkerMain.exitWhenParentGoes();
        spool.close();
        dataSource.close();
    }
}
