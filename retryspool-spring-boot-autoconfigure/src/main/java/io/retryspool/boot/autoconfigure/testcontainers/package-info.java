/**
 * Testcontainers support: a {@code JdbcDatabaseContainer} annotated {@code @ServiceConnection(name = "retryspool")}
 * becomes the spool's own database through {@link io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails}.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
