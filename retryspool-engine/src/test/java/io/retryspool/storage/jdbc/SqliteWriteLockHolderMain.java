package io.retryspool.storage.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Another process that takes an SQLite database's write lock away from a spool, for {@link SqliteLockTimeoutTests},
 * started in a child JVM by {@link ChildJvm}. It opens its own connection (no pool, no spool) and, a number of
 * times, runs {@code BEGIN IMMEDIATE}, prints {@code HOLDING <n>}, keeps the lock for the given time, rolls
 * back and prints {@code RELEASED <n>}, then waits for the given gap. It prints {@code DONE} at the end and
 * exits; it also exits when its stdin reaches end of file (the test JVM went away).
 *
 * <p>Arguments: the database file, the number of rounds, the milliseconds to hold the lock, the milliseconds
 * between rounds.
 */
public final class SqliteWriteLockHolderMain {

    /** The prefix of the line printed once the lock is held. */
    static final String HOLDING = "HOLDING ";
    /** The prefix of the line printed once the lock is released. */
    static final String RELEASED = "RELEASED ";
    /** The line printed after the last round. */
    static final String DONE = "DONE";

    private SqliteWriteLockHolderMain() {
    }

    /**
     * Holds the lock.
     *
     * @param args the database file, rounds, hold milliseconds, gap milliseconds
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SqliteWriteLockHolderMain <database file> <rounds> <hold-millis> <gap-millis>");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[1]);
        long holdMillis = Long.parseLong(args[2]);
        long gapMillis = Long.parseLong(args[3]);
        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; end of file means it is gone
                }
            } catch (java.io.IOException e) {
                // the same: the parent is gone
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
             Statement statement = connection.createStatement()) {
            // wait as long as it takes for the spool's short transactions to let go
            statement.execute("PRAGMA busy_timeout = 60000");
            for (int round = 1; round <= rounds; round++) {
                statement.execute("BEGIN IMMEDIATE");
                System.out.println(HOLDING + round);
                Thread.sleep(holdMillis);
                statement.execute("ROLLBACK");
                System.out.println(RELEASED + round);
                Thread.sleep(gapMillis);
            }
        }
        System.out.println(DONE);
    }
}
