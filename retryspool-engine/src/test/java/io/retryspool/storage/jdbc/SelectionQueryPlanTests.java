package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.QueueState;
import io.retryspool.storage.MessageSelection;
import io.retryspool.storage.SelectionKey;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk verb's batch window, and a filtered listing's (state and age, from where the previous window ended), is read
 * in order through the index on {@code (state, created, id)}, without a sort and never by scanning the table, and a
 * count reads only the state's rows through an index: checked with EXPLAIN on 100,000 messages in three states, the
 * newest 10,000 DEFERRED (a spool's waiting messages are its newest) and the older ones ARCHIVED or on HOLD, with
 * header and error criteria that the planner believes selective; the write that follows, and the listing's read of
 * the matching rows, find the window's rows by primary key, without a sort (the plans are printed for the record).
 * With DEFERRED a third of the table and its rows everywhere in it, PostgreSQL's estimates for a count by index and
 * by a scan of the table came within 2% of each other, and its choice followed the sample its ANALYZE drew.
 */
class SelectionQueryPlanTests {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final MessageSelection DEFERRED_FOR_AN_HOUR = new MessageSelection(QueueState.DEFERRED,
            Map.of("tenant", "acme"), NOW.minus(Duration.ofHours(1)), "refused", null);
    private static final SelectionKey AFTER = new SelectionKey(NOW.minus(Duration.ofDays(1)), "m500");
    private static final List<String> WINDOW = List.of("m3", "m6", "m9");
    /** A listing's window as large as it gets: one IN list of 500 ids. */
    private static final List<String> LISTING_WINDOW =
            IntStream.rangeClosed(1, 500).mapToObj(n -> "m" + 3 * n).toList();

    @TempDir
    Path directory;

    @Test
    void postgresBatchListingAndCountUseTheStateIndexWithoutSequentialScans() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("selection_plan", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            jdbc.execute("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, last_error) SELECT 'm' || g,"
                    + " CASE WHEN g <= 10000 THEN 2 WHEN g % 2 = 0 THEN 5 ELSE 3 END,"
                    + " 0, 10, now(), timestamptz '2026-03-01 10:00:00+00' - g * interval '1 second', now(), 0, 5,"
                    + " '{\"tenant\": \"acme\"}', 'connection refused' FROM generate_series(1, 100000) g");
            jdbc.execute("ANALYZE retryspool_messages");
            SelectionSql sql = new SelectionSql("retryspool_messages", new PostgresDialect());

            String batchPlan = plan(jdbc, sql.batch(DEFERRED_FOR_AN_HOUR, AFTER, 500));
            String countPlan = plan(jdbc, sql.count(DEFERRED_FOR_AN_HOUR));
            String movePlan = plan(jdbc, returning(sql.move(DEFERRED_FOR_AN_HOUR, WINDOW, QueueState.HOLD, NOW, null)));
            String matchingPlan = plan(jdbc, sql.matching(DEFERRED_FOR_AN_HOUR, LISTING_WINDOW));
            System.out.println("PostgreSQL selection batch plan:\n" + batchPlan + "\nPostgreSQL selection count plan:\n"
                    + countPlan + "\nPostgreSQL selection move plan:\n" + movePlan
                    + "\nPostgreSQL listing matching plan:\n" + matchingPlan);

            assertThat(batchPlan).contains("Index Only Scan using retryspool_messages_state_created")
                    .doesNotContain("Sort").doesNotContain("Seq Scan");
            assertThat(countPlan).contains("Index").doesNotContain("Seq Scan");
            assertThat(movePlan).contains("retryspool_messages_pkey").doesNotContain("Seq Scan");
            assertThat(matchingPlan).contains("retryspool_messages_pkey")
                    .doesNotContain("Sort").doesNotContain("Seq Scan");
        }
    }

    @Test
    void sqliteBatchListingAndCountUseTheStateIndexWithoutTableScans() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("plan.db"))) {
            RetrySpoolSchema.migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long now = NOW.toEpochMilli();
            jdbc.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
                    + " INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, last_error) SELECT 'm' || n,"
                    + " CASE WHEN n <= 10000 THEN 2 WHEN n % 2 = 0 THEN 5 ELSE 3 END,"
                    + " 0, 10, " + now + ", " + now + " - n * 1000, " + now + ", 0, 5, '{\"tenant\": \"acme\"}',"
                    + " 'connection refused' FROM g");
            jdbc.execute("ANALYZE");
            SelectionSql sql = new SelectionSql("retryspool_messages", new SqliteDialect());

            List<String> batchPlan = detail(jdbc, sql.batch(DEFERRED_FOR_AN_HOUR, AFTER, 500));
            List<String> countPlan = detail(jdbc, sql.count(DEFERRED_FOR_AN_HOUR));
            List<String> movePlan = detail(jdbc, returning(sql.move(DEFERRED_FOR_AN_HOUR, WINDOW, QueueState.HOLD, NOW, null)));
            List<String> matchingPlan = detail(jdbc, sql.matching(DEFERRED_FOR_AN_HOUR, LISTING_WINDOW));
            System.out.println("SQLite selection batch plan:\n" + String.join("\n", batchPlan)
                    + "\nSQLite selection count plan:\n" + String.join("\n", countPlan)
                    + "\nSQLite selection move plan:\n" + String.join("\n", movePlan)
                    + "\nSQLite listing matching plan:\n" + String.join("\n", matchingPlan));

            assertThat(batchPlan).anyMatch(line -> line.matches(
                    ".*SEARCH retryspool_messages USING (COVERING )?INDEX retryspool_messages_state_created"
                            + " \\(state=\\? AND \\(created,id\\)>\\(\\?,\\?\\) AND created<\\?\\).*"));
            assertThat(batchPlan).noneMatch(line -> line.contains("json_each"));
            assertThat(batchPlan).noneMatch(line -> line.contains("TEMP B-TREE"));
            assertThat(countPlan).anyMatch(line -> line.matches(
                    ".*SEARCH retryspool_messages USING (COVERING )?INDEX retryspool_messages_state_created"
                            + " \\(state=\\? AND created<\\?\\).*"));
            assertThat(batchPlan).noneMatch(line -> line.matches(".*SCAN retryspool_messages(?! USING).*"));
            assertThat(countPlan).noneMatch(line -> line.matches(".*SCAN retryspool_messages(?! USING).*"));
            assertThat(movePlan).anyMatch(line -> line.matches(
                    ".*SEARCH retryspool_messages USING INDEX sqlite_autoindex_retryspool_messages_1 \\(id=\\?\\).*"));
            assertThat(movePlan).noneMatch(line -> line.matches(".*SCAN retryspool_messages(?! USING).*"));
            assertThat(matchingPlan).anyMatch(line -> line.matches(
                    ".*SEARCH retryspool_messages USING INDEX sqlite_autoindex_retryspool_messages_1 \\(id=\\?\\).*"));
            assertThat(matchingPlan).noneMatch(line -> line.contains("TEMP B-TREE"));
            assertThat(matchingPlan).noneMatch(line -> line.matches(".*SCAN retryspool_messages(?! USING).*"));
        }
    }

    private static String plan(JdbcTemplate jdbc, SelectionSql.Statement statement) {
        return String.join("\n", jdbc.queryForList("EXPLAIN " + statement.sql(), String.class, statement.args()));
    }

    private static List<String> detail(JdbcTemplate jdbc, SelectionSql.Statement statement) {
        return jdbc.query("EXPLAIN QUERY PLAN " + statement.sql(), (rs, n) -> rs.getString("detail"), statement.args());
    }

    /** A change as the one statement PostgreSQL and SQLite run for it. */
    private static SelectionSql.Statement returning(RowChange change) {
        return new SelectionSql.Statement(change.returningStatement(""), change.returningArgs());
    }
}
