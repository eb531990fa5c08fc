package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import io.retryspool.checks.Arguments;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.Map;

/**
 * Creates and upgrades RetrySpool's tables with Flyway, from the migrations shipped in the engine jar
 * ({@code classpath:db/retryspool/postgresql}, {@code .../mariadb} or {@code .../sqlite}). RetrySpool keeps its own history table
 * ({@link JdbcTables#historyTable()}), so it never touches the application's own Flyway history, and it
 * baselines at version 0 so that it also migrates a schema that already holds the application's tables.
 * Applying it again does nothing.
 */
public final class RetrySpoolSchema {

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolSchema.class);

    private RetrySpoolSchema() {
    }

    /**
     * Applies the migrations for the default table names.
     *
     * @param dataSource the database
     * @return how many migrations were applied now
     */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, JdbcTables.defaults());
    }

    /**
     * Applies the migrations.
     *
     * @param dataSource the database
     * @param tables the table names
     * @return how many migrations were applied now
     * @throws StorageException if a migration fails
     */
    public static int migrate(DataSource dataSource, JdbcTables tables) {
        Arguments.requireNonNull("dataSource", dataSource);
        Arguments.requireNonNull("tables", tables);
        JdbcDialect dialect = JdbcDialect.detect(dataSource);
        int longest = dialect.longestMetaTableName();
        if (tables.metaTable().length() > longest) {
            throw new IllegalArgumentException("metaTable: '" + tables.metaTable() + "' is " + tables.metaTable().length()
                    + " characters long; on " + dialect.name() + " at most " + longest + " fit, so that the names of its"
                    + " indexes stay within the database's limit (retryspool.jdbc.meta-table in Spring Boot)");
        }
        try {
            MigrateResult result = flyway(dataSource, tables, dialect).migrate();
            if (result.migrationsExecuted > 0) {
                log.info("Applied {} RetrySpool migration(s) to {} (tables {}, {}; history {})", result.migrationsExecuted,
                        dialect.name(), tables.metaTable(), tables.dataTable(), tables.historyTable());
            }
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StorageException("could not apply RetrySpool's migrations to " + dialect.name()
                    + " (history table " + tables.historyTable() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Returns the location of the migrations for a database, for teams that apply the DDL themselves.
     *
     * @param dataSource the database
     * @return for example {@code classpath:db/retryspool/postgresql}
     */
    public static String migrationsLocation(DataSource dataSource) {
        return "classpath:db/retryspool/" + JdbcDialect.detect(dataSource).migrationFolder();
    }

    private static Flyway flyway(DataSource dataSource, JdbcTables tables, JdbcDialect dialect) {
        return Flyway.configure(RetrySpoolSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/retryspool/" + dialect.migrationFolder())
                .table(tables.historyTable())
                .placeholders(Map.of("meta_table", tables.metaTable(), "data_table", tables.dataTable()))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
