package io.retryspool.storage.jdbc;

import io.retryspool.ActivityMinute;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The statements of the per-minute activity table ({@link JdbcTables#activityTable()}): an upsert that adds an
 * instance's counts to its row of a minute ({@link JdbcDialect#upsertAdding}: {@code INSERT … ON CONFLICT DO UPDATE},
 * on MariaDB/MySQL {@code INSERT … ON DUPLICATE KEY UPDATE}), a read that sums the instances' rows per minute through
 * the primary key on {@code (minute, instance_id)}, and the deletion of old minutes.
 */
final class ActivityTable {

    private final JdbcTemplate jdbc;
    private final JdbcDialect dialect;
    private final String upsert;
    private final String read;
    private final String prune;

    ActivityTable(JdbcTemplate jdbc, String table, JdbcDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.upsert = dialect.upsertAdding(table, List.of("minute", "instance_id"),
                List.of("enqueued", "delivered", "deferred", "bounced"));
        this.read = "SELECT minute, SUM(enqueued) AS enqueued, SUM(delivered) AS delivered, SUM(deferred) AS deferred,"
                + " SUM(bounced) AS bounced FROM " + table + " WHERE minute >= ? GROUP BY minute ORDER BY minute";
        this.prune = "DELETE FROM " + table + " WHERE minute < ?";
    }

    void record(String instanceId, Collection<ActivityMinute> counts) {
        List<Object[]> rows = new ArrayList<>();
        for (ActivityMinute minute : counts) {
            rows.add(new Object[] {dialect.time(minute.start()), instanceId, minute.enqueued(), minute.delivered(),
                    minute.deferred(), minute.bounced()});
        }
        jdbc.batchUpdate(upsert, rows);
    }

    List<ActivityMinute> since(Instant since) {
        return jdbc.query(read, (rs, n) -> new ActivityMinute(Objects.requireNonNull(dialect.readTime(rs, "minute")), rs.getLong("enqueued"),
                rs.getLong("delivered"), rs.getLong("deferred"), rs.getLong("bounced")), dialect.time(since));
    }

    void prune(Instant before) {
        jdbc.update(prune, dialect.time(before));
    }
}
