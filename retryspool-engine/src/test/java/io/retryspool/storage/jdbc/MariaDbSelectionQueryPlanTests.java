package io.retryspool.storage.jdbc;

import io.retryspool.QueueState;
import io.retryspool.storage.MessageSelection;
import io.retryspool.storage.SelectionKey;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB a bulk verb's batch window, read from where the previous window ended, starts its range of the index on
 * {@code (state, created, id)} at that key: run with {@code ANALYZE} on 100,000 messages, a window of 500 reads 500
 * rows, however far into the state it starts (the plan is printed for the record).
 */
class MariaDbSelectionQueryPlanTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("selection_plan", 2);

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aBatchWindowReadsOnlyItsOwnRowsThroughTheStateIndex() {
        JdbcTemplate jdbc = new JdbcTemplate(database.emptied());
        // all DEFERRED, one per second before NOW; half of them share their creation time with a neighbour
        jdbc.execute("INSERT INTO retryspool_messages (id, state, attempts, max_attempts, next_retry, created, updated,"
                + " size, priority, headers) SELECT CONCAT('m', LPAD(seq, 6, '0')), 2, 0, 10, '2026-03-01 10:00:00',"
                + " TIMESTAMP'2026-03-01 10:00:00' - INTERVAL (seq DIV 2) SECOND, '2026-03-01 10:00:00', 0, 5, '{}'"
                + " FROM seq_1_to_100000");
        jdbc.execute("ANALYZE TABLE retryspool_messages");
        MariaDbDialect dialect = new MariaDbDialect();
        SelectionSql sql = new SelectionSql("retryspool_messages", dialect);
        MessageSelection deferred = new MessageSelection(QueueState.DEFERRED, Map.of(), NOW, null, null);
        // the middle of the state in (created, id) order: created NOW - 25,000 s holds m050000 and m050001
        SelectionKey middle = new SelectionKey(NOW.minus(Duration.ofSeconds(25_000)), "m050000");

        SelectionSql.Statement batch = sql.batch(deferred, middle, 500);
        List<Map<String, Object>> run = jdbc.queryForList("ANALYZE " + batch.sql(), batch.args());
        System.out.println("MariaDB execution of " + batch.sql() + ":\n" + run);

        assertThat(run).hasSize(1);
        assertThat(run.get(0).get("key")).isEqualTo("retryspool_messages_state_created");
        assertThat(String.valueOf(run.get(0).get("Extra"))).doesNotContain("filesort");
        assertThat(Double.parseDouble(String.valueOf(run.get(0).get("r_rows")))).as("rows read").isEqualTo(500);
        List<String> window = jdbc.query(batch.sql(), sql.keyMapper(), batch.args()).stream()
                .map(SelectionKey::id).toList();
        assertThat(window).hasSize(500).startsWith("m050001", "m049998", "m049999");
    }
}
