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

    /**
     * 100,000 messages: half without a destination, half over 100 destinations; of each destination's, one in five at
     * a higher priority and not due for an hour, and one in three of the others not due either. The claim of messages
     * without a destination, the lock of destinations with due messages, the count of their running attempts and the
     * claim of their shares read through their indexes, never sort, and never read the rows not due (EXPLAIN ANALYZE in
     * a transaction rolled back; the plans are printed for the record).
     */
    @Test
    void postgresDestinationClaimReadsOnlyDueRowsThroughTheDestinationIndexes() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("dest_plan", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            jdbc.execute("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, destination) SELECT 'm' || g, CASE WHEN g % 3 = 0 THEN 0 ELSE 2 END, 0,"
                    + " 10, now() + CASE WHEN g % 1000 < 200 OR g % 3 = 1 THEN interval '1 hour' ELSE interval '-1 minute'"
                    + " END, now(), now(), 0, CASE WHEN g % 1000 < 200 THEN 9 ELSE 5 END, '{}',"
                    + " CASE WHEN g % 2 = 0 THEN 'd' || lpad((g / 2 % 100)::text, 3, '0') END"
                    + " FROM generate_series(1, 100000) g");
            jdbc.execute("INSERT INTO retryspool_messages_destinations (name) SELECT DISTINCT destination"
                    + " FROM retryspool_messages WHERE destination IS NOT NULL");
            jdbc.execute("UPDATE retryspool_messages SET lease_until = now(), state = 1 WHERE id IN"
                    + " (SELECT id FROM retryspool_messages WHERE destination IS NOT NULL LIMIT 500)");
            jdbc.execute("ANALYZE retryspool_messages");
            jdbc.execute("ANALYZE retryspool_messages_destinations");
            PostgresDialect dialect = new PostgresDialect();
            DestinationTable destinations = new DestinationTable(jdbc, dialect, "retryspool_messages_destinations",
                    "retryspool_messages");
            Instant now = Instant.now();

            List<Object> lockArgs = new java.util.ArrayList<>();
            String lock = destinations.lockDueStatement("d010", true, now, 20, lockArgs);
            String lockPlan = explainAnalyze(schema.dataSource(), lock, lockArgs.toArray());
            System.out.println("PostgreSQL destination lock plan:\n" + lockPlan);
            assertThat(lockPlan).contains("retryspool_messages_dest_due").doesNotContain("Seq Scan on retryspool_messages ")
                    .doesNotContain("Sort");

            List<String> names = List.of("d011", "d012", "d013");

            String claim = PostgresDialect.destinationClaimStatement("retryspool_messages", "");
            String claimPlan;
            try (java.sql.Connection connection = schema.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                try (java.sql.PreparedStatement ps = connection.prepareStatement("EXPLAIN ANALYZE " + claim)) {
                    ps.setArray(1, connection.createArrayOf("text", names.toArray()));
                    ps.setArray(2, connection.createArrayOf("int4", new Integer[] {10, 10, 10}));
                    ps.setArray(3, connection.createArrayOf("int4", new Integer[] {20, 20, 20}));
                    ps.setObject(4, dialect.time(now));
                    ps.setString(5, "owner");
                    ps.setString(6, "PT5M");
                    ps.setString(7, "token:");
                    ps.setObject(8, dialect.time(now));
                    claimPlan = lines(ps.executeQuery());
                }
                connection.rollback();
            }
            System.out.println("PostgreSQL destination claim plan:\n" + claimPlan);
            assertThat(claimPlan).contains("retryspool_messages_dest_due").doesNotContain("Seq Scan on retryspool_messages ")
                    .doesNotContain("Sort");
            assertThat(claimPlan).as("running attempts counted in the claim").contains("retryspool_messages_dest_running");
            assertThat(claimPlan.lines().findFirst().orElseThrow()).as("claimed").contains("rows=30 loops=1");
            assertThat(removedByFilter(claimPlan)).as("rows read and passed over").isLessThan(100);

            String undestined = PostgresDialect.claimStatement("retryspool_messages", StateGroup.DELIVERABLE, "");
            List<String> plan = jdbc.queryForList("EXPLAIN " + undestined, String.class,
                    Timestamp.from(now), 100, 100, "owner", "PT5M", "token:", Timestamp.from(now));
            assertThat(String.join("\n", plan)).contains("retryspool_messages_deliverable").doesNotContain("Seq Scan")
                    .doesNotContain("dest_due");
        }
    }

    /**
     * The plan a long-running spool keeps: pgjdbc prepares the lock of destinations on the server, and PostgreSQL
     * then reuses a generic plan made from the statistics of the time, here of an empty table, while one destination
     * grows to 20,000 due messages. Its due probe must still read a few index entries, not hash them all (it did, with
     * an {@code EXISTS}: 34 ms a claim at 100,000).
     */
    @Test
    void postgresDestinationLockKeepsProbingWithAGenericPlanMadeWhenTheTableWasEmpty() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("dest_generic_plan", 2)) {
            RetrySpoolSchema.migrate(schema.dataSource());
            JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
            jdbc.execute("ANALYZE retryspool_messages");
            jdbc.execute("INSERT INTO retryspool_messages_destinations (name) VALUES ('big.example')");
            jdbc.execute("ANALYZE retryspool_messages_destinations");
            jdbc.execute("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, destination) SELECT 'm' || g, 0, 0, 10, now() - interval '1 minute',"
                    + " now(), now(), 0, 5, '{}', 'big.example' FROM generate_series(1, 20000) g");
            DestinationTable destinations = new DestinationTable(jdbc, new PostgresDialect(),
                    "retryspool_messages_destinations", "retryspool_messages");
            List<Object> args = new java.util.ArrayList<>();
            String lock = destinations.lockDueStatement(null, true, Instant.now(), 20, args);
            String plan;
            try (java.sql.Connection connection = schema.dataSource().getConnection()) {
                connection.setAutoCommit(false);
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                }
                try (java.sql.PreparedStatement ps = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + lock)) {
                    for (int i = 0; i < args.size(); i++) {
                        ps.setObject(i + 1, args.get(i));
                    }
                    plan = lines(ps.executeQuery());
                } finally {
                    connection.rollback();
                }
            }
            System.out.println("PostgreSQL destination lock, generic plan:\n" + plan);
            assertThat(plan).contains("rows=1 loops=1").doesNotContain("Hash").doesNotContain("rows=20000");
        }
    }

    private static String explainAnalyze(javax.sql.DataSource dataSource, String statement, Object... args)
            throws java.sql.SQLException {
        try (java.sql.Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = connection.prepareStatement("EXPLAIN ANALYZE " + statement)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return lines(ps.executeQuery());
            } finally {
                connection.rollback();
            }
        }
    }

    private static String lines(java.sql.ResultSet rs) throws java.sql.SQLException {
        StringBuilder text = new StringBuilder();
        while (rs.next()) {
            text.append(rs.getString(1)).append('\n');
        }
        return text.toString();
    }

    /** The rows index scans read and then passed over, summed over a plan. */
    private static long removedByFilter(String plan) {
        java.util.regex.Matcher removed = java.util.regex.Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(plan);
        long sum = 0;
        while (removed.find()) {
            sum += Long.parseLong(removed.group(1));
        }
        return sum;
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

    @Test
    void sqliteDestinationStatementsUseTheDestinationIndexesWithoutTableScans() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("dest-plan.db"))) {
            RetrySpoolSchema.migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long now = System.currentTimeMillis();
            jdbc.execute("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 100000)"
                    + " INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                    + " size, priority, headers, destination) SELECT 'm' || n, CASE WHEN n % 3 = 0 THEN 0 ELSE 2 END, 0,"
                    + " 10, CASE WHEN n % 3 = 0 THEN " + (now - 60_000) + " ELSE " + (now + 3_600_000) + " END, "
                    + now + ", " + now + ", 0, CASE WHEN n % 50 = 0 THEN 9 ELSE 5 END, '{}',"
                    + " CASE WHEN n % 2 = 0 THEN 'd' || (n % 100) END FROM g");
            jdbc.execute("INSERT INTO retryspool_messages_destinations (name) SELECT DISTINCT destination"
                    + " FROM retryspool_messages WHERE destination IS NOT NULL");
            jdbc.execute("ANALYZE");
            SqliteDialect dialect = new SqliteDialect();
            DestinationTable destinations = new DestinationTable(jdbc, dialect, "retryspool_messages_destinations",
                    "retryspool_messages");

            List<Object> lockArgs = new java.util.ArrayList<>();
            List<String> lockPlan = detail(jdbc, destinations.lockDueStatement("d10", true,
                    Instant.ofEpochMilli(now), 20, lockArgs), lockArgs.toArray());
            List<String> levelPlan = detail(jdbc, dialect.destinedLevelStatement("retryspool_messages"), "d10", 101);
            List<String> duePlan = detail(jdbc, dialect.destinedDueStatement("retryspool_messages", ""), "d10", 5, now,
                    10);
            List<String> runningPlan = detail(jdbc, destinations.runningStatement(2), "d10", "d12");
            System.out.println("SQLite destination plans:\n" + lockPlan + "\n" + levelPlan + "\n" + duePlan + "\n"
                    + runningPlan);

            for (List<String> plan : List.of(lockPlan, levelPlan, duePlan)) {
                assertThat(plan).anyMatch(line -> line.contains("retryspool_messages_dest_due"));
                assertThat(plan).allMatch(line -> !line.matches(".*SCAN retryspool_messages(?! USING).*"));
                assertThat(plan).noneMatch(line -> line.contains("TEMP B-TREE"));
            }
            assertThat(runningPlan).anyMatch(line -> line.contains("retryspool_messages_dest_running"));
        }
    }

    private static List<String> detail(JdbcTemplate jdbc, String statement, Object... args) {
        return jdbc.query("EXPLAIN QUERY PLAN " + statement, (rs, n) -> rs.getString("detail"), args);
    }
}
