/**
 * Testcontainers support: a {@code JdbcDatabaseContainer} annotated {@code @ServiceConnection(name = "retryspool")}
 * becomes the spool's own database through {@link io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails}.
 */
package io.retryspool.boot.autoconfigure.testcontainers;
