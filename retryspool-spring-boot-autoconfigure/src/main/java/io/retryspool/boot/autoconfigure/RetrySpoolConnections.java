package io.retryspool.boot.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.JdbcDatabase;
import io.retryspool.storage.jdbc.SqliteDataSources;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * Builds the {@link RetrySpoolJdbcConnection} of each database choice, checks that RetrySpool can use it, and logs the
 * choice once: at INFO, or at WARN when the application's database is not supported and the embedded file is used
 * instead.
 */
final class RetrySpoolConnections {

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolConnections.class);
    private static final String SQLITE_URL = "jdbc:sqlite:";
    private static final String CHOICE_DOC = "See 'Which database the spool uses' in docs/configuration.md.";

    private RetrySpoolConnections() {
    }

    static RetrySpoolJdbcConnection dedicated(RetrySpoolConnectionDetails details, RetrySpoolProperties properties) {
        String url = details.getJdbcUrl().trim();
        String source = source(details);
        requirePool(source);
        if (url.regionMatches(true, 0, SQLITE_URL, 0, SQLITE_URL.length())) {
            requireSqliteDriver(source + " is an SQLite URL (" + url + ")");
            Path file;
            try {
                file = SqliteDataSources.databaseFile(url);
            } catch (IllegalArgumentException ex) {
                throw new RetrySpoolConfigurationException(source + " cannot be used: " + ex.getMessage(),
                        "Set retryspool.datasource.url to jdbc:sqlite:<file>, and the SQLite tuning with retryspool.sqlite.* "
                                + "(journal-mode, synchronous, busy-timeout, cache-size).");
            }
            var pool = RetrySpoolDataSources.sqlite(file, properties.getSqlite(), properties.getDatasource().getMaximumPoolSize());
            return announce(new RetrySpoolJdbcConnection(pool, RetrySpoolJdbcConnection.Origin.DEDICATED, pool),
                    "its own pool on " + url + " (tuned as the embedded file: " + properties.getSqlite().getJournalMode()
                            + " journal)");
        }
        var pool = connect(details, source, properties);
        JdbcDatabase database = checked(pool, source + " (" + url + ")", pool);
        return announce(new RetrySpoolJdbcConnection(pool, RetrySpoolJdbcConnection.Origin.DEDICATED, pool),
                "its own pool on " + url + " (" + database + ")");
    }

    /** Names where the connection details came from, for log lines and start-up failures. */
    private static String source(RetrySpoolConnectionDetails details) {
        if (details instanceof PropertiesRetrySpoolConnectionDetails) {
            return "retryspool.datasource.url";
        }
        Origin origin = Origin.from(details);
        return "the RetrySpoolConnectionDetails from " + (origin != null ? origin : details.getClass().getName());
    }

    private static HikariDataSource connect(RetrySpoolConnectionDetails details, String source,
                                            RetrySpoolProperties properties) {
        try {
            return RetrySpoolDataSources.dedicated(details, properties.getDatasource());
        } catch (RuntimeException ex) {
            throw new RetrySpoolConfigurationException("RetrySpool could not connect to " + source + " ("
                    + details.getJdbcUrl().trim() + "): " + ex.getMessage(),
                    "Check retryspool.datasource.url, .username and .password (or the service connection named "
                            + "'retryspool'), and that the database is up and reachable from this host.", ex);
        }
    }

    static RetrySpoolJdbcConnection qualified(DataSource dataSource, String beanName, boolean alsoTheApplications) {
        if (alsoTheApplications) {
            log.warn("The DataSource '{}' qualified @RetrySpoolDataSource is also the application's only DataSource "
                    + "candidate: Boot then defines no DataSource of its own from spring.datasource.*, and JPA, "
                    + "JdbcTemplate and every DataSource injected by type get the spool's. Declare it "
                    + "@Bean(defaultCandidate = false) to keep it the spool's alone.", beanName);
        }
        JdbcDatabase database = checked(dataSource, "the DataSource '" + beanName + "' qualified @RetrySpoolDataSource", null);
        return announce(new RetrySpoolJdbcConnection(dataSource, RetrySpoolJdbcConnection.Origin.QUALIFIED, null),
                "the DataSource '" + beanName + "' qualified @RetrySpoolDataSource (" + database + ")");
    }

    static RetrySpoolJdbcConnection application(DataSource dataSource, String beanName, JdbcDatabase database) {
        return announce(new RetrySpoolJdbcConnection(dataSource, RetrySpoolJdbcConnection.Origin.APPLICATION, null),
                "the application's DataSource '" + beanName + "' (" + database
                        + "); enqueues inside its transactions join them");
    }

    static RetrySpoolJdbcConnection embeddedInsteadOf(RetrySpoolProperties properties, String beanName,
                                                      JdbcDatabase database) {
        requireSqliteDriver("the application's DataSource '" + beanName + "' is " + database
                + ", which RetrySpool does not support");
        requirePool("the embedded SQLite database");
        RetrySpoolJdbcConnection connection = embeddedPool(properties);
        log.warn("RetrySpool does not support the application's database ({}, DataSource '{}'); it uses its embedded "
                        + "SQLite file {} instead, so enqueues do not join the application's transactions. Supported are {}. "
                        + "Set retryspool.datasource.url or declare a @RetrySpoolDataSource to choose another database.",
                database, beanName, absolute(properties), JdbcDatabase.SUPPORTED);
        return connection;
    }

    static RetrySpoolJdbcConnection embedded(RetrySpoolProperties properties) {
        requireSqliteDriver("the application has no DataSource");
        requirePool("the embedded SQLite database");
        return announce(embeddedPool(properties), "the embedded SQLite file " + absolute(properties)
                + " (the application has no DataSource)");
    }

    static RetrySpoolConfigurationException ambiguous(DataSourceCandidates candidates) {
        boolean qualified = candidates.qualified().size() > 1;
        String description = qualified
                ? "RetrySpool found several DataSources qualified @RetrySpoolDataSource: " + candidates.qualified()
                : "RetrySpool cannot choose among the application's DataSources " + candidates.candidates()
                        + ": none is @Primary and none is qualified @RetrySpoolDataSource.";
        String action = qualified
                ? "Qualify exactly one DataSource @RetrySpoolDataSource, or set retryspool.datasource.url."
                : "Tell RetrySpool which database to use: mark the application's main DataSource @Primary (RetrySpool "
                        + "then uses it and joins its transactions), or declare one @Bean(defaultCandidate = false) "
                        + "@RetrySpoolDataSource DataSource for the spool, or set retryspool.datasource.url. " + CHOICE_DOC;
        return new RetrySpoolConfigurationException(description, action);
    }

    private static RetrySpoolJdbcConnection embeddedPool(RetrySpoolProperties properties) {
        var pool = RetrySpoolDataSources.sqlite(Path.of(properties.getSqlite().getPath()), properties.getSqlite(),
                properties.getWorker().getConcurrency() + 2);
        return new RetrySpoolJdbcConnection(pool, RetrySpoolJdbcConnection.Origin.EMBEDDED_SQLITE, pool);
    }

    private static JdbcDatabase checked(DataSource dataSource, String what, @Nullable AutoCloseable owned) {
        JdbcDatabase database = JdbcDatabase.of(dataSource);
        if (!database.isSupported()) {
            closeQuietly(owned);
            throw new RetrySpoolConfigurationException("RetrySpool cannot use " + what + ": "
                    + database.unsupportedReason().orElseThrow(),
                    "Give RetrySpool a PostgreSQL 12+, SQLite 3.35+, MariaDB 10.6+ or MySQL 8.0.1+ database, or remove this setting so that it "
                            + "uses its embedded SQLite file. " + CHOICE_DOC);
        }
        return database;
    }

    private static RetrySpoolJdbcConnection announce(RetrySpoolJdbcConnection connection, String choice) {
        log.info("RetrySpool uses {}", choice);
        return connection;
    }

    private static void requireSqliteDriver(String why) {
        if (!ClassUtils.isPresent("org.sqlite.JDBC", RetrySpoolConnections.class.getClassLoader())) {
            throw new RetrySpoolConfigurationException("RetrySpool needs its embedded SQLite database because " + why
                    + ", but the SQLite driver (org.xerial:sqlite-jdbc) is not on the classpath.",
                    "Add org.xerial:sqlite-jdbc (the starter brings it unless it is excluded), or give RetrySpool a "
                            + "PostgreSQL or MariaDB/MySQL database: the application's DataSource, retryspool.datasource.url, or a "
                            + "@RetrySpoolDataSource bean. " + CHOICE_DOC);
        }
    }

    static void requirePool(String what) {
        if (!ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource", RetrySpoolConnections.class.getClassLoader())) {
            throw new RetrySpoolConfigurationException("RetrySpool needs a connection pool of its own for " + what
                    + ", but HikariCP (com.zaxxer:HikariCP) is not on the classpath.",
                    "Add com.zaxxer:HikariCP (the starter brings it unless it is excluded).");
        }
    }

    private static Path absolute(RetrySpoolProperties properties) {
        return Path.of(properties.getSqlite().getPath()).toAbsolutePath();
    }

    private static void closeQuietly(@Nullable AutoCloseable owned) {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception ex) {
                log.debug("Could not close RetrySpool's pool", ex);
            }
        }
    }
}
