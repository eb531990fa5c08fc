package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.retry.FixedRetryPolicy;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A spool worker process for {@link SoakTests}: delivers messages with a handler that takes 5 to 50 ms and writes,
 * to its own journal file, a {@code START <id> <attempt> <millis>} line when it begins and an
 * {@code END <id> <attempt> <millis>} line when it returns (flushed at once, so a killed process leaves a START
 * without an END). Short leases and retries, many attempts. Runs until killed or its stdin closes.
 *
 * <p>Arguments: {@code postgresql <jdbc url> <instance id> <journal file>}.
 */
public final class SoakWorkerMain {

    static final Duration LEASE_TIMEOUT = Duration.ofSeconds(2);

    private SoakWorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args the kind, the JDBC URL, the instance id, the journal file
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SoakWorkerMain postgresql <url> <instance-id> <journal>");
            System.exit(2);
        }
        HikariDataSource dataSource = SpoolWorkerMain.open(args[0], args[1]);
        PrintStream journal = new PrintStream(new FileOutputStream(args[3], true), true, StandardCharsets.UTF_8);
        RetrySpool spool = RetrySpool.builder()
                .jdbc(dataSource)
                .migrate(false)
                .archiveSuccess(true)
                .maxAttempts(1000)
                .leaseTimeout(LEASE_TIMEOUT)
                .attemptTimeout(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(100)))
                .concurrency(4)
                .batchSize(10)
                .instanceId(args[2])
                .handler((context, message, body) -> {
                    synchronized (journal) {
                        journal.println("START " + message.id() + " " + context.attempt() + " " + System.currentTimeMillis());
                    }
                    body.readAllBytes();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 50));
                    synchronized (journal) {
                        journal.println("END " + message.id() + " " + context.attempt() + " " + System.currentTimeMillis());
                    }
                })
                .build();
        spool.start();
        System.out.println("READY");
        SpoolWorkerMain.exitWhenParentGoes();
        spool.close();
        dataSource.close();
    }
}
