package io.retryspool.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Creates a fresh {@code bench_<random>} schema per scenario on one PostgreSQL, hands out pools whose
 * connections use it, and drops every schema it created when closed, so runs never see each other's rows
 * and leave nothing behind. The one exception is a {@linkplain #reusable reusable} schema, which a scenario
 * whose data takes minutes to fill keeps under a fixed name for the next run.
 */
final class PostgresSchemas implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String url;
    private final List<Schema> open = new ArrayList<>();

    PostgresSchemas(String url) {
        this.url = url;
    }

    /**
     * Returns PostgreSQL's {@code SELECT version()}.
     *
     * @return the version string
     * @throws SQLException if the server cannot be reached
     */
    String version() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version()")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /**
     * Creates a new, empty schema.
     *
     * @return the schema; close it (or this) to drop it
     */
    synchronized Schema create() {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        String name = "bench_" + HexFormat.of().formatHex(random);
        execute("CREATE SCHEMA " + name);
        Schema schema = new Schema(name, true);
        open.add(schema);
        return schema;
    }

    /**
     * Opens a schema that outlives the run, creating it if it does not exist; closing it closes its pools but
     * keeps the schema and its tables.
     *
     * @param name the schema's name, a lower-case SQL identifier starting with {@code bench_}
     * @return the schema
     */
    synchronized Schema reusable(String name) {
        if (!name.matches("bench_[a-z0-9_]+")) {
            throw new IllegalArgumentException("name: '" + name + "' is not a bench_ schema name");
        }
        execute("CREATE SCHEMA IF NOT EXISTS " + name);
        Schema schema = new Schema(name, false);
        open.add(schema);
        return schema;
    }

    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        for (Schema schema : List.copyOf(open)) {
            try {
                schema.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }

    /** One schema of the run, with the pools opened on it. */
    final class Schema implements AutoCloseable {
        private final String name;
        private final boolean dropOnClose;
        private final List<HikariDataSource> pools = new ArrayList<>();
        private boolean closed;

        private Schema(String name, boolean dropOnClose) {
            this.name = name;
            this.dropOnClose = dropOnClose;
        }

        /** The schema's name. */
        String name() {
            return name;
        }

        /** A JDBC URL whose connections use the schema, for pools and child processes. */
        String jdbcUrl() {
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }

        /**
         * Drops everything in the schema by dropping it and creating it again; the pools on it start over with new
         * connections, which find the new schema by its name.
         */
        synchronized void empty() {
            PostgresSchemas.this.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            PostgresSchemas.this.execute("CREATE SCHEMA " + name);
            pools.forEach(pool -> pool.getHikariPoolMXBean().softEvictConnections());
        }

        /** Opens a pool on the schema; it is closed with the schema. */
        synchronized HikariDataSource pool(String poolName, int maximumPoolSize) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl());
            config.setPoolName(poolName + "-" + name);
            config.setMaximumPoolSize(maximumPoolSize);
            config.setMinimumIdle(maximumPoolSize);
            HikariDataSource pool = new HikariDataSource(config);
            pools.add(pool);
            return pool;
        }

        @Override
        public void close() {
            synchronized (PostgresSchemas.this) {
                if (closed) {
                    return;
                }
                closed = true;
                pools.forEach(HikariDataSource::close);
                if (dropOnClose) {
                    PostgresSchemas.this.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                }
                open.remove(this);
            }
        }
    }
}
