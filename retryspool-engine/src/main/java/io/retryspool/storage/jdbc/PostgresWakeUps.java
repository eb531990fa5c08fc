package io.retryspool.storage.jdbc;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Wakes this instance's workers when any instance enqueues on the same PostgreSQL table: enqueues send
 * {@code NOTIFY} on the table's channel in their transaction (delivered at commit), and one thread per spool
 * holds a connection that {@code LISTEN}s to it. If the connection breaks, or anything else fails (errors
 * included), it reconnects with a growing pause; meanwhile polling still finds the work.
 */
final class PostgresWakeUps implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresWakeUps.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final String channel;
    private final Runnable onWake;
    private final Thread thread;
    private volatile boolean running = true;

    PostgresWakeUps(DataSource dataSource, String channel, Runnable onWake) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onWake = onWake;
        this.thread = new Thread(this::listen, "retryspool-listen-" + channel);
        this.thread.setDaemon(true);
        this.thread.setUncaughtExceptionHandler((dead, error) -> log.error("RetrySpool's listener thread {} stopped; "
                + "workers find new messages by polling only", dead.getName(), error));
        this.thread.start();
    }

    /**
     * The channel of one metadata table: schema and table, so that spools in different schemas of one database
     * do not wake each other; shortened with a hash to PostgreSQL's 63-byte limit.
     */
    static String channelFor(String schema, String metaTable) {
        String channel = "retryspool:" + schema + "." + metaTable;
        if (channel.length() <= 63) {
            return channel;
        }
        return channel.substring(0, 50) + ":" + Integer.toHexString(channel.hashCode());
    }

    private void listen() {
        long pause = 100;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + quoted(channel));
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                pause = 100;
                onWake.run();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onWake.run();
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UNLISTEN " + quoted(channel));
                }
            } catch (Throwable e) {
                if (!running) {
                    return;
                }
                log.warn("Listening for enqueues on channel {} failed; retrying in {} ms (polling continues meanwhile)",
                        channel, pause, e);
                sleep(pause);
                pause = Math.min(pause * 2, 30_000);
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(WAIT_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
