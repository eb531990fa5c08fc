package io.retryspool.storage.jdbc;

import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MariaDB claim reads only due rows of the claimable states through the index on
 * {@code (claim_group, priority, next_retry)}, never by scanning the table nor sorting, and the delay-warning claim
 * reads the index on {@code delay_warnable}: checked with EXPLAIN on 100,000 messages of which most are not due or not
 * claimable (the plans are printed for the record).
 */
class MariaDbClaimQueryPlanTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("claim_plan", 2);

    private static final MariaDbDialect DIALECT = new MariaDbDialect();
    private static final String TABLE = "retryspool_messages";

    @BeforeAll
    static void fillTheTable() {
        JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
        // a third due INCOMING, a third DEFERRED for another hour, a third HOLD; one in fifty at priority 9
        jdbc.execute("INSERT INTO " + TABLE + " (id, state, attempts, max_attempts, next_retry, created, updated,"
                + " size, priority, headers) SELECT CONCAT('m', seq), CASE seq % 3 WHEN 0 THEN 0 WHEN 1 THEN 2 ELSE 3 END,"
                + " 0, 10, UTC_TIMESTAMP(6) + INTERVAL CASE seq % 3 WHEN 0 THEN -1 ELSE 60 END MINUTE,"
                + " UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 0, CASE WHEN seq % 50 = 0 THEN 9 ELSE 5 END, '{}'"
                + " FROM seq_1_to_100000");
        // and 50,000 with a destination (100 of them): one in five at priority 9 and not due for an hour
        jdbc.execute("INSERT INTO " + TABLE + " (id, state, attempts, max_attempts, next_retry, created, updated,"
                + " size, priority, headers, destination) SELECT CONCAT('d', seq), CASE seq % 3 WHEN 0 THEN 0 ELSE 2 END,"
                + " 0, 10, UTC_TIMESTAMP(6) + INTERVAL CASE WHEN seq % 1000 < 200 OR seq % 3 = 1 THEN 60 ELSE -1 END"
                + " MINUTE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 0, CASE WHEN seq % 1000 < 200 THEN 9 ELSE 5 END, '{}',"
                + " CONCAT('d', LPAD(seq % 100, 3, '0')) FROM seq_1_to_50000");
        jdbc.execute("INSERT INTO " + TABLE + "_destinations (name, name_length) SELECT DISTINCT destination,"
                + " CHAR_LENGTH(destination) FROM " + TABLE + " WHERE destination IS NOT NULL");
        jdbc.execute("UPDATE " + TABLE + " SET state = 1, lease_until = UTC_TIMESTAMP(6) WHERE destination IS NOT NULL"
                + " ORDER BY id LIMIT 500");
        jdbc.execute("ANALYZE TABLE " + TABLE);
        jdbc.execute("ANALYZE TABLE " + TABLE + "_destinations");
    }

    @Test
    void theClaimOfAPriorityReadsItsDueRowsThroughTheClaimIndexInDueOrder() {
        String statement = DIALECT.dueOfPriorityStatement(TABLE, StateGroup.DELIVERABLE, "");
        List<Map<String, Object>> plan = explain(statement, 5, DIALECT.time(Instant.now()), 100);

        assertThat(plan).hasSize(1);
        Map<String, Object> row = plan.get(0);
        assertThat(row.get("key")).isEqualTo(TABLE + "_dest_due");
        assertThat(row.get("type")).isEqualTo("range");
        assertThat(String.valueOf(row.get("Extra"))).doesNotContain("filesort").doesNotContain("temporary");
        List<Map<String, Object>> run = new JdbcTemplate(database.dataSource())
                .queryForList("ANALYZE " + statement, 5, DIALECT.time(Instant.now()), 100);
        System.out.println("MariaDB execution of " + statement + ":\n" + run);
        assertThat(Double.parseDouble(String.valueOf(run.get(0).get("r_rows")))).as("rows read for a batch of 100").isEqualTo(100);
    }

    @Test
    void eachPriorityOfAGroupIsFoundByOneProbeOfTheClaimIndex() {
        List<Map<String, Object>> plan = explain(DIALECT.nextLevelStatement(TABLE, StateGroup.DELIVERABLE), 9);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).get("Extra")).isEqualTo("Select tables optimized away");
        assertThat(DIALECT.levels(new JdbcTemplate(database.dataSource()), TABLE, StateGroup.DELIVERABLE))
                .containsExactly(9, 5);
    }

    @Test
    void theBounceGroupIsReadThroughTheSameIndex() {
        String statement = DIALECT.dueOfPriorityStatement(TABLE, StateGroup.BOUNCE, "");
        List<Map<String, Object>> plan = explain(statement, 5, DIALECT.time(Instant.now()), 100);

        assertThat(plan.get(0).get("key")).isEqualTo(TABLE + "_claimable");
        assertThat(plan.get(0).get("type")).isNotEqualTo("ALL");
    }

    @Test
    void theDelayWarningClaimReadsOnlyWarnableRowsThroughItsIndex() throws Exception {
        DelayWarningSql delayWarnings = new DelayWarningSql(TABLE, DIALECT);
        try (java.sql.Connection connection = database.dataSource().getConnection()) {
            assertThat(delayWarnings.createIndexOnce(connection)).isTrue();
            assertThat(delayWarnings.createIndexOnce(connection)).as("a second time: the index exists").isTrue();
        }
        RowChange claim = delayWarnings.claimChange(DIALECT.time(Instant.now()), 100, DIALECT.time(Instant.now()));
        List<Map<String, Object>> plan = explain(DIALECT.lockStatement(claim), claim.whereArgs().toArray());

        assertThat(plan.get(0).get("key")).isEqualTo(DelayWarningSql.index(TABLE));
        assertThat(plan.get(0).get("type")).isEqualTo("range");
        assertThat(String.valueOf(plan.get(0).get("Extra"))).doesNotContain("filesort");
    }

    @Test
    void theClaimOfADestinationReadsItsDueRowsOfAPriorityThroughTheDestinationIndex() {
        String statement = DIALECT.destinedDueStatement(TABLE, "");
        List<Map<String, Object>> plan = explain(statement, "d011", "d011", 5, DIALECT.time(Instant.now()), 10);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).get("key")).isEqualTo(TABLE + "_dest_due");
        assertThat(plan.get(0).get("type")).isEqualTo("range");
        assertThat(String.valueOf(plan.get(0).get("Extra"))).doesNotContain("filesort").doesNotContain("temporary");
        List<Map<String, Object>> run = new JdbcTemplate(database.dataSource())
                .queryForList("ANALYZE " + statement, "d011", "d011", 5, DIALECT.time(Instant.now()), 10);
        System.out.println("MariaDB execution of " + statement + ":\n" + run);
        assertThat(Double.parseDouble(String.valueOf(run.get(0).get("r_rows")))).as("rows read for a share of 10")
                .isEqualTo(10);
    }

    @Test
    void eachPriorityOfADestinationIsFoundByOneProbe() {
        List<Map<String, Object>> plan = explain(DIALECT.destinedLevelStatement(TABLE), "d011", 101);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).get("Extra")).isEqualTo("Select tables optimized away");
        assertThat(new JdbcTemplate(database.dataSource()).queryForObject(DIALECT.destinedLevelStatement(TABLE),
                Integer.class, "d011", 9)).isEqualTo(5);
    }

    @Test
    void theLockOfDestinationsWithDueMessagesReadsTheirKeyAndTheDestinationIndex() {
        DestinationTable destinations = new DestinationTable(new JdbcTemplate(database.dataSource()), DIALECT,
                TABLE + "_destinations", TABLE);
        List<Object> args = new java.util.ArrayList<>();
        String lock = destinations.lockDueStatement("d010", true, Instant.now(), 20, args);
        List<Map<String, Object>> plan = explain(lock, args.toArray());

        assertThat(plan).allSatisfy(row -> assertThat(row.get("type")).isNotEqualTo("ALL"));
        assertThat(plan).anySatisfy(row -> assertThat(row.get("key")).isEqualTo(TABLE + "_dest_due"));
        assertThat(plan).allSatisfy(row -> assertThat(String.valueOf(row.get("Extra"))).doesNotContain("filesort"));

        String running = destinations.runningStatement(3);
        List<Map<String, Object>> runningPlan = explain(running, "d011", "d012", "d013");
        assertThat(runningPlan.get(0).get("key")).isEqualTo(TABLE + "_dest_running");
        assertThat(runningPlan.get(0).get("type")).isEqualTo("range");
    }

    @Test
    void theClaimOfMessagesWithoutADestinationNeverReadsThoseWithOne() {
        String statement = DIALECT.dueOfPriorityStatement(TABLE, StateGroup.DELIVERABLE, "");
        List<Map<String, Object>> run = new JdbcTemplate(database.dataSource())
                .queryForList("ANALYZE " + statement, 5, DIALECT.time(Instant.now()), 100_000);
        System.out.println("MariaDB execution of " + statement + ":\n" + run);
        long dueWithout = new JdbcTemplate(database.dataSource()).queryForObject("SELECT COUNT(*) FROM " + TABLE
                + " WHERE destination IS NULL AND claim_group = 1 AND priority = 5 AND next_retry <= UTC_TIMESTAMP(6)",
                Long.class);
        assertThat(Double.parseDouble(String.valueOf(run.get(0).get("r_rows")))).isEqualTo(dueWithout);
    }

    private static List<Map<String, Object>> explain(String statement, Object... args) {
        List<Map<String, Object>> plan = new JdbcTemplate(database.dataSource())
                .queryForList("EXPLAIN " + statement, args);
        System.out.println("MariaDB plan of " + statement + ":\n" + plan);
        return plan;
    }
}
