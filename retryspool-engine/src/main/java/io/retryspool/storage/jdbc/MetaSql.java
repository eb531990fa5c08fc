package io.retryspool.storage.jdbc;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.SortField;
import io.retryspool.storage.Claim;
import org.springframework.jdbc.core.RowMapper;

/** The metadata table's statements for one table name and dialect, and the mappers for its rows. */
final class MetaSql {

    static final String COLUMNS = "id, state, attempts, max_attempts, next_retry, created, updated, last_error, size, "
            + "priority, headers, retry_policy";
    static final String CLAIM_COLUMNS = COLUMNS + ", claimed_from, claim_token, lease_owner, lease_until";

    final String table;
    final String insert;
    final String selectById;
    final String selectByIdForUpdate;
    final String selectIdByIdempotencyKey;
    final String update;
    final String delete;
    final String countByState;
    final String countInState;
    final String moveToState;
    final String moveToStateKeepingNextRetry;
    final String claimById;
    final String renewLease;
    final String releaseExpiredLeases;
    final String completeDelete;
    final String completeUpdate;
    final String claimSet;

    private final JdbcDialect dialect;

    MetaSql(String table, JdbcDialect dialect) {
        this.table = table;
        this.dialect = dialect;
        String json = dialect.jsonParameter();
        insert = "INSERT INTO " + table + " (" + COLUMNS + ", idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + json + ", ?, ?) ON CONFLICT DO NOTHING";
        selectById = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
        selectByIdForUpdate = selectById + dialect.forUpdate();
        selectIdByIdempotencyKey = "SELECT id FROM " + table + " WHERE idempotency_key = ?";
        update = "UPDATE " + table + " SET state = ?, attempts = ?, max_attempts = ?, next_retry = ?, updated = ?, "
                + "last_error = ?, size = ?, priority = ?, headers = " + json + ", retry_policy = ? WHERE id = ?";
        delete = "DELETE FROM " + table + " WHERE id = ?";
        countByState = "SELECT state, COUNT(*) AS n FROM " + table + " GROUP BY state";
        countInState = "SELECT COUNT(*) FROM " + table + " WHERE state = ?";
        String dropLease = "lease_owner = NULL, lease_until = NULL, claim_token = NULL, claimed_from = NULL";
        moveToState = "UPDATE " + table + " SET state = ?, updated = ?, next_retry = ?, " + dropLease
                + " WHERE id = ? AND state = ? RETURNING " + COLUMNS;
        moveToStateKeepingNextRetry = "UPDATE " + table + " SET state = ?, updated = ?, " + dropLease
                + " WHERE id = ? AND state = ? RETURNING " + COLUMNS;
        claimSet = "state = 1, claimed_from = state, lease_owner = ?, lease_until = ?, claim_token = ? || id, updated = ?";
        claimById = "UPDATE " + table + " SET " + claimSet + " WHERE id = ? AND state IN (%s) RETURNING " + CLAIM_COLUMNS;
        renewLease = "UPDATE " + table + " SET lease_until = ? WHERE id = ? AND claim_token = ?";
        releaseExpiredLeases = "UPDATE " + table + " SET state = claimed_from, updated = ?, " + dropLease
                + " WHERE state = 1 AND lease_until < ?";
        completeDelete = "DELETE FROM " + table + " WHERE id = ? AND claim_token = ?";
        completeUpdate = "UPDATE " + table + " SET state = ?, attempts = ?, next_retry = ?, last_error = ?, headers = "
                + json + ", updated = ?, " + dropLease + " WHERE id = ? AND claim_token = ?";
    }

    /** The column a listing sorts by. */
    static String sortColumn(SortField sortBy) {
        return switch (sortBy) {
            case CREATED -> "created";
            case UPDATED -> "updated";
            case NEXT_RETRY -> "next_retry";
            case PRIORITY -> "priority";
        };
    }

    RowMapper<MessageMetadata> metadataMapper() {
        return (rs, rowNum) -> {
            String id = rs.getString("id");
            return MessageMetadata.builder()
                    .id(id)
                    .state(QueueState.fromCode(rs.getInt("state")))
                    .attempts(rs.getInt("attempts"))
                    .maxAttempts(rs.getInt("max_attempts"))
                    .nextRetry(dialect.readTime(rs, "next_retry"))
                    .created(dialect.readTime(rs, "created"))
                    .updated(dialect.readTime(rs, "updated"))
                    .lastError(rs.getString("last_error"))
                    .size(rs.getLong("size"))
                    .priority(rs.getInt("priority"))
                    .headers(HeadersJson.read(rs.getString("headers"), id))
                    .retryPolicyName(rs.getString("retry_policy"))
                    .build();
        };
    }

    RowMapper<Claim> claimMapper() {
        RowMapper<MessageMetadata> metadata = metadataMapper();
        return (rs, rowNum) -> new Claim(metadata.mapRow(rs, rowNum),
                QueueState.fromCode(rs.getInt("claimed_from")), rs.getString("claim_token"),
                rs.getString("lease_owner"), dialect.readTime(rs, "lease_until"));
    }
}
