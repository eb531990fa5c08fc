package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delay-warning claim reads only messages not yet warned about, through its partial index, never by scanning
 * the table: checked with EXPLAIN on 100,000 messages of which most were warned about already or are archived (the
 * plans are printed for the record).
 */
class DelayWarningQueryPlanTests {

    private static final String TABLE = "retryspool_messages";

    @TempDir
    Path directory;

    @Test
    void postgresDelayWarningClaimUsesThePartialIndexWithoutSequentialScans() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("warning_plan", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(schema.dataSource());
            jdbc.execute("INSERT INTO " + TABLE + " (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, delay_warned_at) SELECT 'm' || g, CASE WHEN g % 2 = 0 THEN 5 ELSE 2 END,"
                    + " 0, 10, now(), now() - interval '1 day', now(), 0, 5, '{}',"
                    + " CASE WHEN g % 100 = 1 THEN NULL ELSE now() END FROM generate_series(1, 100000) g");
            jdbc.execute(new DelayWarningSql(TABLE, new PostgresDialect()).createIndex);
            jdbc.execute("ANALYZE " + TABLE);

            String statement = new DelayWarningSql(TABLE, new PostgresDialect()).claim;
            Timestamp now = Timestamp.from(Instant.now());
            List<String> plan = jdbc.queryForList("EXPLAIN " + statement, String.class, now, 100, now);
            System.out.println("PostgreSQL delay-warning claim plan:\n" + String.join("\n", plan));

            assertThat(String.join("\n", plan))
                    .contains(DelayWarningSql.index(TABLE))
                    .doesNotContain("Seq Scan");
        }
    }

    @Test
    void theIndexExistsOnlyOnceDelayWarningsAreClaimed() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("warning_index", 2);
             HikariDataSource pool = SqliteDataSources.create(directory.resolve("warning-index.db"))) {
            for (javax.sql.DataSource dataSource : List.of(schema.dataSource(), pool)) {
                RetrySpoolSchema.migrate(dataSource);
                JdbcMetaStore store = new JdbcMetaStore(dataSource);
                org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
                String indexes = dataSource == pool
                        ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?"
                        : "SELECT COUNT(*) FROM pg_indexes WHERE indexname = ? AND schemaname = current_schema()";
                assertThat(jdbc.queryForObject(indexes, Long.class, DelayWarningSql.index(TABLE)))
                        .as("no index maintained while delay warnings are unused").isZero();

                store.claimDelayWarnings(Instant.now(), Instant.now(), 10);
                store.claimDelayWarnings(Instant.now(), Instant.now(), 10);

                assertThat(jdbc.queryForObject(indexes, Long.class, DelayWarningSql.index(TABLE))).isEqualTo(1);
            }
        }
    }

    @Test
    void sqliteDelayWarningClaimUsesThePartialIndexWithoutTableScans() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("warning-plan.db"))) {
            RetrySpoolSchema.migrate(pool);
            org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(pool);
            long now = System.currentTimeMillis();
            long dayAgo = now - 86_400_000L;
            jdbc.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
                    + " INSERT INTO " + TABLE + " (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, delay_warned_at) SELECT 'm' || n, CASE WHEN n % 2 = 0 THEN 5 ELSE 2 END,"
                    + " 0, 10, " + now + ", " + dayAgo + ", " + now + ", 0, 5, '{}',"
                    + " CASE WHEN n % 100 = 1 THEN NULL ELSE " + now + " END FROM g");
            jdbc.execute(new DelayWarningSql(TABLE, new SqliteDialect()).createIndex);
            jdbc.execute("ANALYZE");

            String statement = new DelayWarningSql(TABLE, new SqliteDialect()).claim;
            List<String> plan = jdbc.query("EXPLAIN QUERY PLAN " + statement, (rs, n) -> rs.getString("detail"),
                    now, 100, now);
            System.out.println("SQLite delay-warning claim plan:\n" + String.join("\n", plan));

            assertThat(plan).anyMatch(line -> line.contains("USING INDEX " + DelayWarningSql.index(TABLE))
                    || line.contains("USING COVERING INDEX " + DelayWarningSql.index(TABLE)));
            assertThat(plan).allMatch(line -> !line.matches(".*SCAN " + TABLE + "(?! USING).*"));
        }
    }
}
