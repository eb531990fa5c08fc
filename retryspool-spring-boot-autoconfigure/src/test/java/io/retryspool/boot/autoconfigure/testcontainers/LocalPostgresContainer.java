package io.retryspool.boot.autoconfigure.testcontainers;

import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link JdbcDatabaseContainer} that stands for a PostgreSQL container without a Docker engine: it "runs" from the
 * start and reports the URL of a PostgreSQL the tests already have, as a started container would report its own.
 */
final class LocalPostgresContainer extends JdbcDatabaseContainer<LocalPostgresContainer> {

    private final String jdbcUrl;

    LocalPostgresContainer(String jdbcUrl) {
        super(DockerImageName.parse("postgres:17"));
        this.jdbcUrl = jdbcUrl;
    }

    @Override
    public void start() {
        // nothing to start: the database already runs
    }

    @Override
    public void stop() {
        // nothing to stop
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public String getDockerImageName() {
        return "postgres:17";
    }

    @Override
    public String getDriverClassName() {
        return "org.postgresql.Driver";
    }

    @Override
    public String getJdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public String getUsername() {
        return "postgres";
    }

    @Override
    public String getPassword() {
        return "";
    }

    @Override
    protected String getTestQueryString() {
        return "SELECT 1";
    }
}
