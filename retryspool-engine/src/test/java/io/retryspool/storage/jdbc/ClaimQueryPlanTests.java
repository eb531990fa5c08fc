package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim reads due rows through its partial index, never by scanning the table: checked with EXPLAIN on
 * 100,000 messages of which most are not due (the plans are printed for the record).
 */
class ClaimQueryPlanTests {

    @TempDir
    Path directory;

    @Test
    void postgresClaimUsesThePartialIndexWithoutSequentialScans() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("plan", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            jdbc.execute("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers) SELECT 'm' || g, CASE WHEN g % 3 = 0 THEN 0 ELSE 2 END, 0, 10,"
                    + " now() + CASE WHEN g % 3 = 0 THEN interval '-1 minute' ELSE interval '1 hour' END, now(), now(), 0,"
                    + " CASE WHEN g % 50 = 0 THEN 9 ELSE 5 END, '{}' FROM generate_series(1, 100000) g");
            jdbc.execute("ANALYZE retryspool_messages");

            String statement = PostgresDialect.claimStatement("retryspool_messages", StateGroup.DELIVERABLE, "");
            List<String> plan = jdbc.queryForList("EXPLAIN " + statement, String.class,
                    Timestamp.from(Instant.now()), 100, 100, "owner", "PT5M", "token:", Timestamp.from(Instant.now()));
            System.out.println("PostgreSQL claim plan:\n" + String.join("\n", plan));

            assertThat(String.join("\n", plan))
                    .contains("retryspool_messages_deliverable")
                    .doesNotContain("Seq Scan");
        }
    }

    @Test
    void sqliteClaimUsesThePartialIndexWithoutTableScans() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("plan.db"))) {
            RetrySpoolSchema.migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long now = System.currentTimeMillis();
            jdbc.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
                    + " INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers) SELECT 'm' || n, CASE WHEN n % 3 = 0 THEN 0 ELSE 2 END, 0, 10,"
                    + " CASE WHEN n % 3 = 0 THEN " + (now - 60_000) + " ELSE " + (now + 3_600_000) + " END, "
                    + now + ", " + now + ", 0, CASE WHEN n % 50 = 0 THEN 9 ELSE 5 END, '{}' FROM g");
            jdbc.execute("ANALYZE");

            SqliteDialect dialect = new SqliteDialect();
            String levels = dialect.levelsStatement("retryspool_messages", StateGroup.DELIVERABLE);
            String due = dialect.dueOfPriorityStatement("retryspool_messages", StateGroup.DELIVERABLE, "");
            List<String> levelsPlan = detail(jdbc, levels);
            List<String> duePlan = detail(jdbc, due, 5, now, 100);
            System.out.println("SQLite levels plan:\n" + String.join("\n", levelsPlan));
            System.out.println("SQLite due-of-priority plan:\n" + String.join("\n", duePlan));

            assertThat(duePlan).anyMatch(line -> line.contains("USING INDEX retryspool_messages_deliverable")
                    || line.contains("USING COVERING INDEX retryspool_messages_deliverable"));
            assertThat(levelsPlan).allMatch(line -> !line.matches(".*SCAN retryspool_messages(?! USING).*"));
            assertThat(duePlan).allMatch(line -> !line.matches(".*SCAN retryspool_messages(?! USING).*"));
        }
    }

    private static List<String> detail(JdbcTemplate jdbc, String statement, Object... args) {
        return jdbc.query("EXPLAIN QUERY PLAN " + statement, (rs, n) -> rs.getString("detail"), args);
    }
}
