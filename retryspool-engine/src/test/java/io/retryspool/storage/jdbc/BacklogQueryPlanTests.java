package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.BacklogShape;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backlog shape counts the queue's rows through the index on {@code (state, created, id)}, never by scanning the
 * table and its ARCHIVED rows: checked with EXPLAIN on 100,000 messages of which 95% are ARCHIVED, as in a spool that
 * keeps its delivered messages (the plans are printed for the record).
 */
class BacklogQueryPlanTests {

    @TempDir
    Path directory;

    @Test
    void postgresBacklogReadsTheStateCreatedIndexWithoutSequentialScans() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("backlog_plan", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            jdbc.execute("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers) SELECT 'm' || g, CASE WHEN g % 20 = 0 THEN g % 5 ELSE 5 END, 0, 10,"
                    + " now(), now() - g * interval '1 second', now(), 0, 5, '{}' FROM generate_series(1, 100000) g");
            jdbc.execute("VACUUM ANALYZE retryspool_messages");

            PostgresDialect dialect = new PostgresDialect();
            List<String> plan = jdbc.queryForList("EXPLAIN " + BacklogQuery.statement("retryspool_messages", List.copyOf(BacklogShape.STATES)),
                    String.class, BacklogQuery.arguments(dialect, Instant.now()));
            System.out.println("PostgreSQL backlog plan:\n" + String.join("\n", plan));

            assertThat(String.join("\n", plan))
                    .contains("retryspool_messages_state_created")
                    .doesNotContain("Seq Scan");
        }
    }

    @Test
    void sqliteBacklogReadsTheStateCreatedIndexWithoutTableScans() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("backlog-plan.db"))) {
            RetrySpoolSchema.migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long now = System.currentTimeMillis();
            jdbc.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
                    + " INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers) SELECT 'm' || n, CASE WHEN n % 20 = 0 THEN n % 5 ELSE 5 END, 0, 10, "
                    + now + ", " + now + " - n * 1000, " + now + ", 0, 5, '{}' FROM g");
            jdbc.execute("ANALYZE");

            List<String> plan = jdbc.query("EXPLAIN QUERY PLAN " + BacklogQuery.statement("retryspool_messages", List.copyOf(BacklogShape.STATES)),
                    (rs, n) -> rs.getString("detail"), BacklogQuery.arguments(new SqliteDialect(), Instant.now()));
            System.out.println("SQLite backlog plan:\n" + String.join("\n", plan));

            assertThat(plan).anyMatch(line -> line.contains("USING COVERING INDEX retryspool_messages_state_created")
                    || line.contains("USING INDEX retryspool_messages_state_created"));
            assertThat(plan).allMatch(line -> !line.matches(".*SCAN retryspool_messages(?! USING).*"));
        }
    }
}
