package io.retryspool.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** What the tests' database helpers share: skipping without a service, running set-up statements, test pools. */
public final class TestServices {

    private TestServices() {
    }

    /**
     * Skips the calling test because a service it needs is missing, or fails it when {@code CI=true}, where every
     * service must be there.
     *
     * @param message what is missing and how to provide it
     * @param service the service's name, for the CI failure
     */
    public static void missing(String message, String service) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " (CI=true requires " + service + ")");
        }
        Assumptions.abort(message);
    }

    /**
     * Runs one set-up statement on its own connection.
     *
     * @param url the JDBC URL, with credentials
     * @param sql the statement
     * @param service the service's name, for the failure
     */
    public static void execute(String url, String sql, String service) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "' on the test " + service, e);
        }
    }

    /**
     * A pool for a test, as another process would have one.
     *
     * @param jdbcUrl the JDBC URL
     * @param maximumPoolSize its size
     * @param name what the pool serves, in its name
     * @return the pool
     */
    public static HikariDataSource pool(String jdbcUrl, int maximumPoolSize, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setPoolName("test-" + name);
        return new HikariDataSource(config);
    }
}
