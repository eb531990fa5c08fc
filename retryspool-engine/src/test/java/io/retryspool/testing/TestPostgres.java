package io.retryspool.testing;

import com.zaxxer.hikari.HikariDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.UUID;

/**
 * Finds a PostgreSQL for tests, in this order: the JDBC URL in {@code RETRYSPOOL_TEST_POSTGRES_URL}; a server
 * answering on 127.0.0.1:5432 (user postgres, database test); a Testcontainers PostgreSQL when a Docker
 * engine is available. Without any, tests are skipped with a message saying so, except when {@code CI=true},
 * where they fail. Each caller gets its own schema, dropped when closed, so tests can run again and again
 * on one database.
 */
public final class TestPostgres {

    /** The environment variable with a JDBC URL of a PostgreSQL for tests. */
    public static final String URL_VARIABLE = "RETRYSPOOL_TEST_POSTGRES_URL";
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static String baseUrl;
    private static boolean searched;

    private TestPostgres() {
    }

    /** Skips the calling test (or fails it when CI=true) if no PostgreSQL can be found. */
    public static synchronized String requireUrl() {
        if (!searched) {
            searched = true;
            baseUrl = find();
        }
        if (baseUrl == null) {
            String message = "No PostgreSQL for tests: set " + URL_VARIABLE + ", start one on 127.0.0.1:5432 "
                    + "(user postgres, database test), or provide a Docker engine for Testcontainers";
            TestServices.missing(message, "PostgreSQL");
        }
        return baseUrl;
    }

    private static String find() {
        String configured = System.getenv(URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (answers("127.0.0.1", 5432)) {
            return LOCAL_URL;
        }
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
                container.start();
                return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
            }
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
        return null;
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates a fresh schema and a pool whose connections use it.
     *
     * @param purpose a short name that appears in the schema's name
     * @param maximumPoolSize the pool size
     * @return the schema; close it to drop it
     */
    public static Schema newSchema(String purpose, int maximumPoolSize) {
        String url = requireUrl();
        String schema = ("rs_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute(url, "CREATE SCHEMA " + schema);
        return new Schema(url, schema, maximumPoolSize);
    }

    private static void execute(String url, String sql) {
        TestServices.execute(url, sql, "PostgreSQL");
    }

    /** A schema of its own with a pool on it. */
    public static final class Schema implements AutoCloseable {
        private final String url;
        private final String name;
        private final HikariDataSource dataSource;

        private Schema(String url, String name, int maximumPoolSize) {
            this.url = url;
            this.name = name;
            this.dataSource = pool(maximumPoolSize);
        }

        /** The schema's name. */
        public String name() {
            return name;
        }

        /** A JDBC URL whose connections use the schema (for child processes). */
        public String jdbcUrl() {
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        /** The pool on the schema. */
        public HikariDataSource dataSource() {
            return dataSource;
        }

        /** A second, independent pool on the same schema, as another process would have. */
        public HikariDataSource pool(int maximumPoolSize) {
            return TestServices.pool(jdbcUrl(), maximumPoolSize, name);
        }

        @Override
        public void close() {
            dataSource.close();
            execute(url, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
