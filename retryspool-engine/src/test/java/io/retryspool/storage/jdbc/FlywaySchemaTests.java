package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import io.retryspool.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
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

    /**
     * RetrySpool's migrations in this build: V1 (tables), V2 (lifetime start, retention index), V3 (archive reason),
     * V4 (delay warnings), V5 (activity), V6 (destination column), V7 (destinations table).
     */
    private static final int MIGRATIONS = 7;

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
                    String.class)).contains("1", "2", "3", "4", "5", "6", "7");
            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).isZero();
        }
    }

    @Test
    void theArchiveReasonColumnIsAddedToATableWithMessagesWithoutRewritingIt() {
        MessageMetadata before = migratedWithoutRewrite("flyway_v3", "2", 5);
        assertThat(before.state()).isEqualTo(QueueState.ARCHIVED);
        assertThat(before.archivedAs()).as("archived before the reason was kept").isNull();
    }

    @Test
    void theArchiveReasonColumnIsAddedToASqliteTableWithMessages() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("upgraded.db"))) {
            assertThat(migrateUpTo(pool, JdbcTables.defaults(), "sqlite", "2").migrationsExecuted).isEqualTo(2);
            new JdbcTemplate(pool).update("INSERT INTO retryspool_messages (id, state, attempts, max_attempts,"
                    + " next_retry, created, updated, size, priority, headers) VALUES ('archived-before', 5, 1, 10, 0, 0,"
                    + " 0, 0, 5, '{}')");

            assertThat(RetrySpoolSchema.migrate(pool)).isEqualTo(MIGRATIONS - 2);

            MessageMetadata before = new JdbcMetaStore(pool).find("archived-before").orElseThrow();
            assertThat(before.state()).isEqualTo(QueueState.ARCHIVED);
            assertThat(before.archivedAs()).isNull();
        }
    }

    @Test
    void theDestinationColumnIsAddedToATableWithMessagesWithoutRewritingIt() {
        assertThat(migratedWithoutRewrite("flyway_destination", "5", 0).destination()).isNull();
    }

    @Test
    void theDestinationsTableGetsARowForEveryDestinationOfTheMessagesStoredBeforeOnPostgres() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("flyway_destinations", 2)) {
            assertThat(migrateUpTo(schema.dataSource(), JdbcTables.defaults(), "postgresql", "6").migrationsExecuted)
                    .isEqualTo(6);
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            for (String[] row : new String[][] {{"m1", "b.example"}, {"m2", "a.example"}, {"m3", "b.example"},
                    {"m4", null}}) {
                jdbc.update("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created,"
                        + " updated, size, priority, headers, destination) VALUES (?, 0, 0, 10, now(), now(), now(), 0,"
                        + " 5, '{}', ?)", row[0], row[1]);
            }

            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).isEqualTo(1);

            assertThat(jdbc.queryForList("SELECT name FROM retryspool_messages_destinations ORDER BY name",
                    String.class)).containsExactly("a.example", "b.example");
            assertThat(jdbc.queryForObject("SELECT pg_get_indexdef('retryspool_messages_deliverable'::regclass)",
                    String.class)).contains("destination IS NULL");
            assertThat(jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'retryspool_messages'",
                    String.class)).contains("retryspool_messages_dest_due", "retryspool_messages_dest_running");
        }
    }

    @Test
    void theDestinationsTableGetsARowForEveryDestinationOfTheMessagesStoredBeforeOnSqlite() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("destinations.db"))) {
            assertThat(migrateUpTo(pool, JdbcTables.defaults(), "sqlite", "6").migrationsExecuted).isEqualTo(6);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            for (String[] row : new String[][] {{"m1", "b.example"}, {"m2", "a.example"}, {"m3", "b.example"},
                    {"m4", null}}) {
                jdbc.update("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created,"
                        + " updated, size, priority, headers, destination) VALUES (?, 0, 0, 10, 0, 0, 0, 0, 5, '{}', ?)",
                        row[0], row[1]);
            }

            assertThat(RetrySpoolSchema.migrate(pool)).isEqualTo(1);

            assertThat(jdbc.queryForList("SELECT name FROM retryspool_messages_destinations ORDER BY name",
                    String.class)).containsExactly("a.example", "b.example");
            assertThat(new JdbcMetaStore(pool).claim(new io.retryspool.storage.ClaimRequest(
                    java.util.EnumSet.of(QueueState.INCOMING), java.time.Instant.ofEpochMilli(1), 10, "owner",
                    java.time.Duration.ofMinutes(1)))).hasSize(4);
        }
    }

    @Test
    void theDestinationsTableGetsARowForEveryDestinationOfTheMessagesStoredBeforeOnMariaDb() {
        try (io.retryspool.testing.TestMariaDb.Database database =
                     io.retryspool.testing.TestMariaDb.newDatabase("flyway_destinations", 2)) {
            assertThat(migrateUpTo(database.dataSource(), JdbcTables.defaults(), "mariadb", "7").migrationsExecuted)
                    .isEqualTo(7);
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            for (String[] row : new String[][] {{"m1", "b.example"}, {"m2", "a.example"}, {"m3", "b.example"},
                    {"m4", null}, {"m5", "a.example "}}) {
                jdbc.update("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created,"
                        + " updated, size, priority, headers, destination) VALUES (?, 0, 0, 10, UTC_TIMESTAMP(6),"
                        + " UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 0, 5, '{}', ?)", row[0], row[1]);
            }

            assertThat(RetrySpoolSchema.migrate(database.dataSource())).isEqualTo(1);

            assertThat(jdbc.queryForList("SELECT CONCAT('[', name, ']') FROM retryspool_messages_destinations"
                    + " ORDER BY name, name_length", String.class))
                    .as("a name with a trailing space is another destination")
                    .containsExactly("[a.example]", "[a.example ]", "[b.example]");
        }
    }

    /**
     * Migrates a PostgreSQL schema up to {@code upTo}, stores one message in {@code state} as the tables then were, runs
     * the remaining migrations and checks that they did not rewrite the table; returns the message as read after them.
     */
    private static MessageMetadata migratedWithoutRewrite(String schemaName, String upTo, int state) {
        try (TestPostgres.Schema schema = TestPostgres.newSchema(schemaName, 2)) {
            JdbcTables tables = new JdbcTables("upgraded_messages", "upgraded_bodies");
            int applied = Integer.parseInt(upTo);
            assertThat(migrateUpTo(schema.dataSource(), tables, "postgresql", upTo).migrationsExecuted).isEqualTo(applied);
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            jdbc.update("INSERT INTO upgraded_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers) VALUES ('stored-before', ?, 1, 10, now(), now(), now(), 0, 5, '{}')",
                    state);
            long fileBefore = relationFile(jdbc, "upgraded_messages");

            assertThat(RetrySpoolSchema.migrate(schema.dataSource(), tables)).isEqualTo(MIGRATIONS - applied);

            assertThat(relationFile(jdbc, "upgraded_messages")).as("no table rewrite").isEqualTo(fileBefore);
            return new JdbcMetaStore(schema.dataSource(), tables).find("stored-before").orElseThrow();
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

    /** Applies RetrySpool's migrations up to a version, configured as {@link RetrySpoolSchema} configures Flyway. */
    private static MigrateResult migrateUpTo(DataSource dataSource, JdbcTables tables, String folder, String version) {
        return Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/retryspool/" + folder)
                .table(tables.historyTable())
                .placeholders(Map.of("meta_table", tables.metaTable(), "data_table", tables.dataTable()))
                .baselineOnMigrate(true).baselineVersion("0")
                .target(version)
                .load().migrate();
    }

    private static long relationFile(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("SELECT pg_relation_filenode(?::regclass)", Long.class, table);
    }

    private static long historyRows(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM " + table + " WHERE success AND version IS NOT NULL AND version <> '0'", Long.class);
    }
}
