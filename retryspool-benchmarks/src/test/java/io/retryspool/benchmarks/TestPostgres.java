package io.retryspool.benchmarks;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL of the harness's own tests, found as the harness finds it: {@code RETRYSPOOL_TEST_POSTGRES_URL}, else
 * {@link BenchmarkOptions#DEFAULT_POSTGRES_URL}. When it does not answer, the calling test is skipped with a message
 * saying so, except when {@code CI=true}, where it fails.
 */
final class TestPostgres {

    private TestPostgres() {
    }

    /** Returns the URL, or skips (or with CI=true fails) the calling test when nothing answers there. */
    static String requireUrl() {
        String configured = System.getenv(BenchmarkOptions.POSTGRES_URL_VARIABLE);
        String url = configured == null || configured.isBlank() ? BenchmarkOptions.DEFAULT_POSTGRES_URL : configured.trim();
        try (Connection connection = DriverManager.getConnection(url)) {
            return url;
        } catch (SQLException e) {
            String message = "No PostgreSQL at " + url + " (" + e.getMessage() + "): set "
                    + BenchmarkOptions.POSTGRES_URL_VARIABLE + " or start one on 127.0.0.1:5432 (user postgres, "
                    + "database test)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return Assertions.fail(message + " (CI=true requires PostgreSQL)", e);
            }
            return Assumptions.abort(message);
        }
    }

    /** Whether a schema of that name exists. */
    static boolean schemaExists(String url, String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = ?)")) {
            query.setString(1, name);
            try (ResultSet exists = query.executeQuery()) {
                exists.next();
                return exists.getBoolean(1);
            }
        }
    }

    /** Runs one statement. */
    static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
