package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import io.retryspool.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RetrySpool's migrations: applied once, beside the application's own Flyway history, with any table names. */
class FlywaySchemaTests {

    @TempDir
    Path directory;

    /** RetrySpool's migrations in this build: V1 (tables), V2 (lifetime start, retention index). */
    private static final int MIGRATIONS = 2;

    @Test
    void secondMigrationOnPostgresAppliesNothing() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("flyway_twice", 2)) {
            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).isEqualTo(MIGRATIONS);
            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).isZero();
            assertThat(historyRows(schema.dataSource(), "retryspool_schema_history")).isEqualTo(MIGRATIONS);
        }
    }

    @Test
    void secondMigrationOnSqliteAppliesNothing() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("twice.db"))) {
            assertThat(RetrySpoolSchema.migrate(pool)).isEqualTo(MIGRATIONS);
            assertThat(RetrySpoolSchema.migrate(pool)).isZero();
        }
    }

    @Test
    void applicationFlywayHistoryAndRetrySpoolHistoryStayApartOnPostgres() throws Exception {
        Path appMigrations = Files.createDirectories(directory.resolve("app-migrations"));
        Files.writeString(appMigrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id TEXT PRIMARY KEY);");
        Files.writeString(appMigrations.resolve("V2__customers.sql"), "CREATE TABLE customers (id TEXT PRIMARY KEY);");
        try (TestPostgres.Schema schema = TestPostgres.newSchema("flyway_app", 2)) {
            Flyway app = Flyway.configure().dataSource(schema.dataSource())
                    .locations("filesystem:" + appMigrations).load();
            assertThat(app.migrate().migrationsExecuted).isEqualTo(2);

            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).isEqualTo(MIGRATIONS);

            assertThat(app.info().applied()).hasSize(2);
            assertThat(app.migrate().migrationsExecuted).isZero();
            assertThat(historyRows(schema.dataSource(), "flyway_schema_history")).isEqualTo(2);
            assertThat(new JdbcTemplate(schema.dataSource()).queryForList(
                    "SELECT version FROM retryspool_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank",
                    String.class)).contains("1", "2");
            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).isZero();
        }
    }

    @Test
    void customTableNamesGetTheirOwnTablesAndHistory() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("flyway_names", 4)) {
            JdbcTables tables = new JdbcTables("billing_messages", "billing_bodies");
            assertThat(tables.historyTable()).isEqualTo("billing_messages_schema_history");
            try (RetrySpool spool = RetrySpool.builder().jdbc(schema.dataSource(), tables).build()) {
                String id = spool.enqueue(Map.of("k", "v"), new byte[]{1, 2, 3});
                JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM billing_messages WHERE id = ?", Long.class, id)).isEqualTo(1);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM billing_bodies WHERE message_id = ?", Long.class, id)).isEqualTo(1);
                assertThat(historyRows(schema.dataSource(), "billing_messages_schema_history")).isEqualTo(MIGRATIONS);
            }
        }
    }

    @Test
    void tableNamesThatAreNotPlainIdentifiersAreRejected() {
        for (String bad : List.of("messages; DROP TABLE x", "Messages", "1messages", "a-b", "", "schema.table")) {
            assertThatThrownBy(() -> new JdbcTables(bad, "retryspool_data"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("metaTable:");
            assertThatThrownBy(() -> new JdbcTables("retryspool_messages", bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dataTable:");
        }
    }

    @Test
    void migrateFalseExpectsTheTablesToExist() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("flyway_off", 2);
             RetrySpool spool = RetrySpool.builder().jdbc(schema.dataSource()).migrate(false).build()) {
            assertThatThrownBy(() -> spool.enqueue(Map.of(), new byte[0]))
                    .isInstanceOf(StorageException.class).hasMessageContaining("retryspool_");
        }
    }

    private static long historyRows(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM " + table + " WHERE success AND version IS NOT NULL AND version <> '0'", Long.class);
    }
}
