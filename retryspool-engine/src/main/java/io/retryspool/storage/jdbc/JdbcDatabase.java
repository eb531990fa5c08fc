package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The database behind a {@link DataSource}, as its driver reports it, and whether RetrySpool's JDBC stores
 * support it: PostgreSQL 12 or newer, SQLite 3.35 or newer.
 *
 * @param product the product name, for example {@code PostgreSQL} or {@code H2}
 * @param version the product version as the driver reports it
 * @param major the major version
 * @param minor the minor version
 */
public record JdbcDatabase(String product, String version, int major, int minor) {

    /** What RetrySpool's JDBC stores support, for messages. */
    public static final String SUPPORTED = "PostgreSQL 12 or newer and SQLite 3.35 or newer";

    /**
     * Creates a description.
     *
     * @throws NullPointerException if product or version is null
     */
    public JdbcDatabase {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
    }

    /**
     * Connects once to read what the database is.
     *
     * @param dataSource the DataSource
     * @return the database
     * @throws StorageException if no connection can be had
     */
    public static JdbcDatabase of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            return new JdbcDatabase(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion(),
                    metaData.getDatabaseMajorVersion(), metaData.getDatabaseMinorVersion());
        } catch (SQLException e) {
            throw new StorageException("could not connect to the database to detect its kind", e);
        }
    }

    /**
     * Says why RetrySpool cannot use this database.
     *
     * @return the reason, or empty when the database is supported
     */
    public Optional<String> unsupportedReason() {
        if (isPostgres()) {
            return tooOld(12, 0);
        }
        if (isSqlite()) {
            return tooOld(3, 35);
        }
        return Optional.of("RetrySpool does not support " + this + "; supported databases are " + SUPPORTED);
    }

    /**
     * Says whether RetrySpool can use this database.
     *
     * @return true for PostgreSQL 12+ and SQLite 3.35+
     */
    public boolean isSupported() {
        return unsupportedReason().isEmpty();
    }

    boolean isPostgres() {
        return "PostgreSQL".equalsIgnoreCase(product);
    }

    boolean isSqlite() {
        return "SQLite".equalsIgnoreCase(product);
    }

    private Optional<String> tooOld(int minMajor, int minMinor) {
        if (major < minMajor || (major == minMajor && minor < minMinor)) {
            return Optional.of("RetrySpool needs " + product + " " + minMajor + "." + minMinor
                    + " or newer; this database is " + major + "." + minor);
        }
        return Optional.empty();
    }

    /**
     * Names the database.
     *
     * @return for example {@code PostgreSQL 15.19}
     */
    @Override
    public String toString() {
        return product + " " + version;
    }
}
