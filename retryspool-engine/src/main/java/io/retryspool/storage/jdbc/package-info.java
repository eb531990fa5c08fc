/**
 * JDBC storage on PostgreSQL 12+ and SQLite 3.35+: {@link io.retryspool.storage.jdbc.JdbcMetaStore},
 * {@link io.retryspool.storage.jdbc.JdbcDataStore}, their Flyway schema
 * ({@link io.retryspool.storage.jdbc.RetrySpoolSchema}), shared transactions for the transactional outbox,
 * and a tuned SQLite pool ({@link io.retryspool.storage.jdbc.SqliteDataSources}).
 */
@NullMarked
package io.retryspool.storage.jdbc;

import org.jspecify.annotations.NullMarked;
