package io.retryspool.boot.autoconfigure.docker.compose;

import org.jspecify.annotations.Nullable;
import io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Creates {@link RetrySpoolConnectionDetails} from a Docker Compose service labelled
 * {@code org.springframework.boot.service-connection: retryspool} that runs PostgreSQL, MariaDB or MySQL. The label
 * replaces the image name as the service's connection name, so Boot's own JDBC factories leave that service alone and
 * the application keeps its own database service.
 */
class RetrySpoolDockerComposeConnectionDetailsFactory
        extends DockerComposeConnectionDetailsFactory<RetrySpoolConnectionDetails> {

    /** The connection name (the service's label) that marks a service as the spool's database. */
    static final String CONNECTION_NAME = "retryspool";

    RetrySpoolDockerComposeConnectionDetailsFactory() {
        super(CONNECTION_NAME);
    }

    @Override
    protected RetrySpoolConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
        return new RetrySpoolDockerComposeConnectionDetails(source.getRunningService());
    }

    /** {@link RetrySpoolConnectionDetails} read from the running service's image, ports, labels and environment. */
    static final class RetrySpoolDockerComposeConnectionDetails extends DockerComposeConnectionDetails
            implements RetrySpoolConnectionDetails {

        private final String jdbcUrl;
        private final String username;
        private final @Nullable String password;

        RetrySpoolDockerComposeConnectionDetails(RunningService service) {
            super(service);
            ComposeDatabase database = ComposeDatabase.of(service);
            this.jdbcUrl = database.jdbcUrl(service);
            this.username = database.user(service);
            this.password = database.password(service);
        }

        @Override
        public String getJdbcUrl() {
            return jdbcUrl;
        }

        @Override
        public String getUsername() {
            return username;
        }

        @Override
        public @Nullable String getPassword() {
            return password;
        }
    }
}
