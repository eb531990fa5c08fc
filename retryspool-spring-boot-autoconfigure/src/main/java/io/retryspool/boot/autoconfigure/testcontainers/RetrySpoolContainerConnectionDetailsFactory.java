package io.retryspool.boot.autoconfigure.testcontainers;

import org.jspecify.annotations.Nullable;
import io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.containers.JdbcDatabaseContainer;

/**
 * Creates {@link RetrySpoolConnectionDetails} from a {@link JdbcDatabaseContainer} annotated
 * {@code @ServiceConnection(name = "retryspool")}. Only a container named so becomes the spool's database: one
 * without the name stays the application's. Add {@code type = RetrySpoolConnectionDetails.class} so that Boot's own
 * JDBC factory does not also make the container the application's DataSource.
 */
class RetrySpoolContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<JdbcDatabaseContainer<?>, RetrySpoolConnectionDetails> {

    /** The connection name that marks a container as the spool's database. */
    static final String CONNECTION_NAME = "retryspool";

    RetrySpoolContainerConnectionDetailsFactory() {
        super(CONNECTION_NAME);
    }

    @Override
    protected RetrySpoolConnectionDetails getContainerConnectionDetails(
            ContainerConnectionSource<JdbcDatabaseContainer<?>> source) {
        return new RetrySpoolContainerConnectionDetails(source);
    }

    /** {@link RetrySpoolConnectionDetails} read from the running container. */
    private static final class RetrySpoolContainerConnectionDetails
            extends ContainerConnectionDetails<JdbcDatabaseContainer<?>> implements RetrySpoolConnectionDetails {

        private RetrySpoolContainerConnectionDetails(ContainerConnectionSource<JdbcDatabaseContainer<?>> source) {
            super(source);
        }

        @Override
        public String getJdbcUrl() {
            return getContainer().getJdbcUrl();
        }

        @Override
        public @Nullable String getUsername() {
            return getContainer().getUsername();
        }

        @Override
        public @Nullable String getPassword() {
            return getContainer().getPassword();
        }
    }
}
