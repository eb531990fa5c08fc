package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the spool's own database is: the connection of the pool RetrySpool creates for itself, apart from the
 * application's DataSource. Built from {@code retryspool.datasource.*} when those are set and no bean of this type is
 * defined; a bean of this type from elsewhere (Testcontainers' {@code @ServiceConnection(name = "retryspool")}, a
 * Docker Compose service labelled {@code org.springframework.boot.service-connection: retryspool}, or the
 * application's own) takes precedence over the properties. Without either, RetrySpool keeps using the application's
 * DataSource, so that enqueues join the application's transactions.
 */
public interface RetrySpoolConnectionDetails extends ConnectionDetails {

    /**
     * Returns the JDBC URL of the spool's database (PostgreSQL, MariaDB, MySQL, or {@code jdbc:sqlite:<file>}).
     *
     * @return the JDBC URL
     */
    String getJdbcUrl();

    /**
     * Returns the login user, or {@code null} when the URL carries it or none is needed.
     *
     * @return the login user, or {@code null}
     */
    @Nullable String getUsername();

    /**
     * Returns the login password, or {@code null} when the URL carries it or none is needed.
     *
     * @return the login password, or {@code null}
     */
    @Nullable String getPassword();
}
