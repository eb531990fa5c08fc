package io.retryspool.storage.jdbc;

import io.retryspool.ArchiveReason;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.SortField;
import io.retryspool.StorageException;
import io.retryspool.storage.Claim;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The metadata table's statements for one table name and dialect, and the mappers for its rows. */
final class MetaSql {

    /** The columns a new message is inserted with (a new message has no archive reason). */
    static final String INSERT_COLUMNS = "id, state, attempts, max_attempts, next_retry, created, updated, last_error, "
            + "size, priority, headers, retry_policy, destination";
    /** The columns {@link #metadataMapper()} reads. */
    static final String COLUMNS = INSERT_COLUMNS + ", archived_as";
    static final String CLAIM_COLUMNS = COLUMNS + ", claimed_from, claim_token, lease_owner, lease_until, lifetime_start";
    /** Clears a claim's lease. */
    static final String DROP_LEASE = "lease_owner = NULL, lease_until = NULL, claim_token = NULL, claimed_from = NULL";

    final String table;
    final String insert;
    final String selectById;
    final String selectByIdForUpdate;
    final String selectIdByIdempotencyKey;
    final String update;
    final String delete;
    final String renewLease;
    final String expiredLeases;
    final String settleExpired;
    final String completeDelete;
    final String completeUpdate;
    final String clearEndedLease;
    final String claimSet;

    private final JdbcDialect dialect;
    /** The condition "no attempt on the row still runs" (its lease, if any, ended); takes the lease clock's arguments. */
    private final String noLiveAttempt;

    MetaSql(String table, JdbcDialect dialect) {
        this.table = table;
        this.dialect = dialect;
        String json = dialect.jsonParameter();
        insert = dialect.insertUnlessConflict(table, INSERT_COLUMNS + ", idempotency_key",
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + json + ", ?, ?, ?");
        selectById = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
        selectByIdForUpdate = selectById + dialect.forUpdate();
        selectIdByIdempotencyKey = "SELECT id, idempotency_key FROM " + table + " WHERE idempotency_key = ?"
                + dialect.latestCommitted();
        update = "UPDATE " + table + " SET state = ?, attempts = ?, max_attempts = ?, next_retry = ?, updated = ?, "
                + "last_error = ?, size = ?, priority = ?, headers = " + json + ", retry_policy = ?, archived_as = ? WHERE id = ?";
        delete = "DELETE FROM " + table + " WHERE id = ?";
        noLiveAttempt = "(lease_until IS NULL OR lease_until < " + dialect.leaseClock() + ")";
        String outcome = "state = ?, attempts = ?, next_retry = ?, last_error = ?, headers = " + json + ", updated = ?, "
                + "archived_as = ?, " + DROP_LEASE;
        // the state is assigned last: MySQL evaluates SET from left to right, later assignments seeing earlier ones
        claimSet = "attempts = attempts + CASE WHEN state = 4 THEN 0 ELSE 1 END, claimed_from = state,"
                + " lease_owner = ?, lease_until = " + dialect.leaseDeadline() + ", claim_token = "
                + dialect.concat("?", "id") + ", updated = ?, state = 1";
        renewLease = "UPDATE " + table + " SET lease_until = " + dialect.leaseDeadline() + " WHERE id = ? AND claim_token = ?";
        expiredLeases = "SELECT " + CLAIM_COLUMNS + " FROM " + table + " WHERE state = 1 AND lease_until < "
                + dialect.leaseClock() + " ORDER BY lease_until LIMIT ?";
        settleExpired = "UPDATE " + table + " SET " + outcome + " WHERE id = ? AND claim_token = ? AND state = 1"
                + " AND lease_until < " + dialect.leaseClock();
        completeDelete = "DELETE FROM " + table + " WHERE id = ? AND claim_token = ? AND state = 1";
        completeUpdate = "UPDATE " + table + " SET " + outcome + " WHERE id = ? AND claim_token = ? AND state = 1";
        clearEndedLease = "UPDATE " + table + " SET " + DROP_LEASE + " WHERE id = ? AND claim_token = ? AND state <> 1";
    }

    /**
     * Claims one message if it is in one of the given states and no attempt on it still runs, returning
     * {@link #CLAIM_COLUMNS}.
     *
     * @param id the message's id
     * @param states the state codes, comma-separated
     * @param setArgs the arguments of {@link #claimSet}
     * @param leaseClockArgs the lease clock's arguments
     */
    RowChange claimById(String id, String states, List<Object> setArgs, List<Object> leaseClockArgs) {
        List<Object> whereArgs = new ArrayList<>();
        whereArgs.add(id);
        whereArgs.addAll(leaseClockArgs);
        return RowChange.update(table, claimSet, setArgs, "id = ? AND state IN (" + states + ") AND " + noLiveAttempt,
                whereArgs, CLAIM_COLUMNS);
    }

    /** Deletes up to {@code limit} ARCHIVED messages last updated before a time, the oldest first; returns their ids. */
    RowChange deleteArchived(Object updatedBefore, int limit) {
        return new RowChange(table, null, List.of(), "state = 5 AND updated < ?", "ORDER BY updated LIMIT ?", false,
                List.of(updatedBefore, limit), "id");
    }

    /**
     * Moves a message between states, returning its metadata ({@link #COLUMNS}). Leaving ACTIVE keeps the lease (the
     * attempt still runs); leaving any other state needs no live attempt and clears the lease. Every move clears the
     * archive reason.
     *
     * @param setArgs the new state, the update time, the next retry (if {@code withNextRetry}), the lifetime start (if
     *                {@code freshBudget})
     * @param whereArgs the id, the state it must be in, then (unless leaving ACTIVE) the lease clock's arguments
     */
    RowChange moveToState(boolean fromActive, boolean withNextRetry, boolean freshBudget, List<Object> setArgs,
                          List<Object> whereArgs) {
        StringBuilder set = new StringBuilder("state = ?, updated = ?, archived_as = NULL");
        if (withNextRetry) {
            set.append(", next_retry = ?");
        }
        if (freshBudget) {
            set.append(", attempts = 0, lifetime_start = ?");
        }
        if (!fromActive) {
            set.append(", ").append(DROP_LEASE);
        }
        String where = "id = ? AND state = ?" + (fromActive ? "" : " AND " + noLiveAttempt);
        return RowChange.update(table, set.toString(), setArgs, where, whereArgs, COLUMNS);
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
                    .nextRetry(Objects.requireNonNull(dialect.readTime(rs, "next_retry")))
                    .created(Objects.requireNonNull(dialect.readTime(rs, "created")))
                    .updated(Objects.requireNonNull(dialect.readTime(rs, "updated")))
                    .lastError(rs.getString("last_error"))
                    .size(rs.getLong("size"))
                    .priority(rs.getInt("priority"))
                    .headers(HeadersJson.read(rs.getString("headers"), id))
                    .retryPolicyName(rs.getString("retry_policy"))
                    .archivedAs(archiveReason(rs.getString("archived_as"), id))
                    .destination(rs.getString("destination"))
                    .build();
        };
    }

    /**
     * The value stored for an archive reason.
     *
     * @param reason the reason, or null
     * @return its name, or null
     */
    static @Nullable String archiveReason(@Nullable ArchiveReason reason) {
        return reason == null ? null : reason.name();
    }

    private @Nullable ArchiveReason archiveReason(@Nullable String stored, String id) {
        if (stored == null) {
            return null;
        }
        try {
            return ArchiveReason.valueOf(stored);
        } catch (IllegalArgumentException e) {
            throw new StorageException("message " + id + " in " + table + " has the unknown archived_as '" + stored
                    + "'; expected one of " + java.util.Arrays.toString(ArchiveReason.values()), e);
        }
    }

    RowMapper<Claim> claimMapper() {
        RowMapper<MessageMetadata> metadata = metadataMapper();
        return (rs, rowNum) -> {
            MessageMetadata claimed = metadata.mapRow(rs, rowNum);
            Instant lifetimeStart = dialect.readTime(rs, "lifetime_start");
            return new Claim(claimed, QueueState.fromCode(rs.getInt("claimed_from")), rs.getString("claim_token"),
                    rs.getString("lease_owner"), Objects.requireNonNull(dialect.readTime(rs, "lease_until")),
                    lifetimeStart != null ? lifetimeStart : claimed.created());
        };
    }
}
