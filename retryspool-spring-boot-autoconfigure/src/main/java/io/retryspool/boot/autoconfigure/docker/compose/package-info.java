/**
 * Docker Compose support: a PostgreSQL, MariaDB or MySQL service labelled
 * {@code org.springframework.boot.service-connection: retryspool} becomes the spool's own database through
 * {@link io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails}.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.docker.compose;

import org.jspecify.annotations.NullMarked;
