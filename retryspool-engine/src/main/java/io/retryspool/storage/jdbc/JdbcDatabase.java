package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database behind a {@link DataSource}, as its driver reports it, and whether RetrySpool's JDBC stores
 * support it: PostgreSQL 12 or newer, SQLite 3.35 or newer, MariaDB 10.6 or newer, MySQL 8.0.1 or newer (the last two
 * through either database's driver).
 *
 * @param product the product name, for example {@code PostgreSQL}, {@code MariaDB} or {@code H2}
 * @param version the product version as the driver reports it
 * @param major the major version
 * @param minor the minor version
 */
public record JdbcDatabase(String product, String version, int major, int minor) {

    /** The first version number in a version text: major.minor, optionally .patch. */
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** What RetrySpool's JDBC stores support, for messages. */
    public static final String SUPPORTED = "PostgreSQL 12 or newer, SQLite 3.35 or newer, MariaDB 10.6 or newer and"
            + " MySQL 8.0.1 or newer";

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
        if (isMariaDb()) {
            return tooOld("MariaDB", serverVersion(), 10, 6, 0);
        }
        if (isMySql()) {
            return tooOld("MySQL", serverVersion(), 8, 0, 1);
        }
        return Optional.of("RetrySpool does not support " + this + "; supported databases are " + SUPPORTED);
    }

    /**
     * Says whether RetrySpool can use this database.
     *
     * @return true for PostgreSQL 12+, SQLite 3.35+, MariaDB 10.6+ and MySQL 8.0.1+
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

    /** MariaDB, through its own driver or MySQL's (which reports a MariaDB as MySQL with a version naming it). */
    boolean isMariaDb() {
        return "MariaDB".equalsIgnoreCase(product)
                || ("MySQL".equalsIgnoreCase(product) && version.toLowerCase(Locale.ROOT).contains("mariadb"));
    }

    /** MySQL itself, not a MariaDB. */
    boolean isMySql() {
        return "MySQL".equalsIgnoreCase(product) && !isMariaDb();
    }

    /**
     * The server's version as major, minor and patch numbers, read from the version text: MySQL's driver reports a
     * MariaDB as {@code 5.5.5-10.11.6-MariaDB}, the "5.5.5-" prefix only there for old clients.
     */
    private int[] serverVersion() {
        Matcher numbers = VERSION.matcher(version.replaceFirst("^5\\.5\\.5-", ""));
        if (!numbers.find()) {
            return new int[] {major, minor, 0};
        }
        return new int[] {Integer.parseInt(numbers.group(1)), Integer.parseInt(numbers.group(2)),
                numbers.group(3) == null ? 0 : Integer.parseInt(numbers.group(3))};
    }

    private static Optional<String> tooOld(String name, int[] actual, int minMajor, int minMinor, int minPatch) {
        int[] minimum = {minMajor, minMinor, minPatch};
        if (Arrays.compare(actual, minimum) < 0) {
            return Optional.of("RetrySpool needs " + name + " " + minMajor + "." + minMinor + "." + minPatch
                    + " or newer (FOR UPDATE SKIP LOCKED); this database is " + actual[0] + "." + actual[1] + "."
                    + actual[2]);
        }
        return Optional.empty();
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
