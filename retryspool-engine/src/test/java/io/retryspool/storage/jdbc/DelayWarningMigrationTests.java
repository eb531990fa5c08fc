package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.MessageMetadata;
import io.retryspool.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V4 upgrades a table that already holds messages: on PostgreSQL without rewriting it, and on both
 * databases the undelivered messages stored before it get their delay warning, the archived ones none.
 */
class DelayWarningMigrationTests {

    private static final String INSERT = "INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry,"
            + " created, updated, size, priority, headers) VALUES (?, ?, 1, 10, %s, %s, %s, 0, 5, '{}')";

    @TempDir
    Path directory;

    @Test
    void postgresTableWithMessagesGetsTheColumnWithoutARewriteAndItsUndeliveredMessagesAreWarned() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("flyway_v6", 2)) {
            assertThat(migrateUpToV3(schema.dataSource(), "postgresql")).isEqualTo(3);
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            String insert = INSERT.formatted("now()", "now() - interval '1 day'", "now()");
            jdbc.update(insert, "deferred-before", 2);
            jdbc.update(insert, "archived-before", 5);
            long fileBefore = jdbc.queryForObject("SELECT pg_relation_filenode('retryspool_messages'::regclass)", Long.class);

            assertThat(RetrySpoolSchema.migrate(schema.dataSource())).as("V4 to V7").isEqualTo(4);

            assertThat(jdbc.queryForObject("SELECT pg_relation_filenode('retryspool_messages'::regclass)", Long.class))
                    .as("no table rewrite").isEqualTo(fileBefore);
            assertThat(new JdbcMetaStore(schema.dataSource()).claimDelayWarnings(Instant.now(), Instant.now(), 10))
                    .extracting(MessageMetadata::id).containsExactly("deferred-before");
        }
    }

    @Test
    void sqliteTableWithMessagesGetsTheColumnAndItsUndeliveredMessagesAreWarned() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("upgraded.db"))) {
            assertThat(migrateUpToV3(pool, "sqlite")).isEqualTo(3);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            String insert = INSERT.formatted("0", "0", "0");
            jdbc.update(insert, "deferred-before", 2);
            jdbc.update(insert, "archived-before", 5);

            assertThat(RetrySpoolSchema.migrate(pool)).as("V4 to V7").isEqualTo(4);

            assertThat(new JdbcMetaStore(pool).claimDelayWarnings(Instant.now(), Instant.now(), 10))
                    .extracting(MessageMetadata::id).containsExactly("deferred-before");
        }
    }

    private static int migrateUpToV3(DataSource dataSource, String folder) {
        JdbcTables tables = JdbcTables.defaults();
        return Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/retryspool/" + folder)
                .table(tables.historyTable())
                .placeholders(Map.of("meta_table", tables.metaTable(), "data_table", tables.dataTable()))
                .baselineOnMigrate(true).baselineVersion("0")
                .target("3")
                .load().migrate().migrationsExecuted;
    }
}
