package io.retryspool.testing;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a MariaDB (or MySQL) for tests: the JDBC URL in {@code RETRYSPOOL_TEST_MARIADB_URL}, else
 * {@code jdbc:mariadb://127.0.0.1:3306/test} as root with an empty password. Without one, tests are skipped with a
 * message saying so, except when {@code CI=true}, where they fail. Each caller gets a database of its own, dropped and
 * created afresh, so tests can run again and again on one server.
 */
public final class TestMariaDb {

    /** The environment variable with a JDBC URL of a MariaDB for tests. */
    public static final String URL_VARIABLE = "RETRYSPOOL_TEST_MARIADB_URL";
    private static final String LOCAL_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";
    /** A JDBC URL's parts before and after its database name. */
    private static final Pattern DATABASE = Pattern.compile("^(jdbc:[a-z]+://[^/]+/)([^?]*)(.*)$");

    private static String baseUrl;
    private static String unavailable;
    private static boolean searched;

    private TestMariaDb() {
    }

    /** Skips the calling test (or fails it when CI=true) if no MariaDB answers; returns its URL otherwise. */
    public static synchronized String requireUrl() {
        if (!searched) {
            searched = true;
            find();
        }
        if (baseUrl == null) {
            String message = "No MariaDB for tests: set " + URL_VARIABLE + " or start one on 127.0.0.1:3306 (user root,"
                    + " empty password, database test) (" + unavailable + ")";
            TestServices.missing(message, "MariaDB");
        }
        return baseUrl;
    }

    private static void find() {
        String configured = System.getenv(URL_VARIABLE);
        String url = configured != null && !configured.isBlank() ? configured : LOCAL_URL;
        try (Connection ignored = DriverManager.getConnection(url)) {
            baseUrl = url;
        } catch (SQLException e) {
            unavailable = url + ": " + e.getMessage();
        }
    }

    /**
     * Drops the database {@code rs_<purpose>} if a previous run left it, creates it afresh and opens a pool on it.
     *
     * @param purpose a short name for the database's name
     * @param maximumPoolSize the pool size
     * @return the database; close it to drop it
     */
    public static Database newDatabase(String purpose, int maximumPoolSize) {
        String url = requireUrl();
        String name = ("rs_" + purpose).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute(url, "DROP DATABASE IF EXISTS " + name);
        execute(url, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return new Database(url, name, maximumPoolSize);
    }

    /**
     * The URL of a database on the same server.
     *
     * @param url a server's URL
     * @param database the database's name
     * @return the URL with the database's name in place of the one in {@code url}
     */
    static String withDatabase(String url, String database) {
        Matcher parts = DATABASE.matcher(url);
        if (!parts.matches()) {
            throw new IllegalStateException("cannot read the database name in " + url);
        }
        return parts.group(1) + database + parts.group(3);
    }

    private static void execute(String url, String sql) {
        TestServices.execute(url, sql, "MariaDB");
    }

    /** A database of its own with a pool on it. */
    public static final class Database implements AutoCloseable {
        private final String serverUrl;
        private final String name;
        private final HikariDataSource dataSource;

        private Database(String serverUrl, String name, int maximumPoolSize) {
            this.serverUrl = serverUrl;
            this.name = name;
            this.dataSource = pool(maximumPoolSize);
        }

        /** The database's name. */
        public String name() {
            return name;
        }

        /** A JDBC URL whose connections use the database. */
        public String jdbcUrl() {
            return withDatabase(serverUrl, name);
        }

        /** The pool on the database. */
        public HikariDataSource dataSource() {
            return dataSource;
        }

        /** A second, independent pool on the same database, as another process would have. */
        public HikariDataSource pool(int maximumPoolSize) {
            return TestServices.pool(jdbcUrl(), maximumPoolSize, name);
        }

        @Override
        public void close() {
            dataSource.close();
            execute(serverUrl, "DROP DATABASE IF EXISTS " + name);
        }
    }
}
