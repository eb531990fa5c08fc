package io.retryspool.storage.jdbc;

import io.retryspool.ActivityMinute;
import io.retryspool.BacklogShape;
import io.retryspool.Count;
import io.retryspool.DestinationStatus;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.MessageNotFoundException;
import io.retryspool.Page;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import io.retryspool.StateConflictException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
import io.retryspool.storage.ListCursor;
import io.retryspool.storage.MessageSelection;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.SelectionBatch;
import io.retryspool.storage.SelectionKey;
import io.retryspool.storage.SelectionPage;
import io.retryspool.storage.StoreResult;
import io.retryspool.storage.StoreTransactions;

import java.util.Objects;
import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

/**
 * A {@link MetaStore} in a PostgreSQL (12+), SQLite (3.35+) or MariaDB (10.6+)/MySQL (8.0.1+) table, the dialect
 * chosen from the connection's metadata. Safe across threads and processes: claims are atomic
 * ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL and MariaDB/MySQL, the single write transaction on SQLite), every
 * outcome is a compare-and-set on the claim token, and leases expire by time. Every method joins a Spring transaction
 * already active on the DataSource.
 *
 * <p>Destinations live in a table of their own ({@link JdbcTables#destinationTable()}, see {@link DestinationTable}):
 * enqueues create their rows, claims lock the rows of the destinations they serve so that concurrency limits hold
 * across every client (see {@link #claim}), and results are folded into them under their row locks.
 *
 * <p>The table must exist; {@link RetrySpoolSchema#migrate(DataSource, JdbcTables)} creates it.
 */
public final class JdbcMetaStore implements MetaStore {

    /**
     * How many messages a destination may serve in one claim before the claim moves on to more destinations: a batch
     * of 100 locks 20 destinations first, each up to 5 messages (and up to its allowance), rather than 100 for one each.
     */
    static final int DESTINATION_QUANTUM = 5;
    /** How long claims pass over the destinations' step after one found none due: a second. */
    private static final long IDLE_DESTINATIONS_NANOS = 1_000_000_000L;
    private static final Comparator<Claim> CLAIM_ORDER = Comparator
            .comparingInt((Claim claim) -> -claim.metadata().priority())
            .thenComparing(claim -> claim.metadata().nextRetry())
            .thenComparing(Claim::id);
    private static final int IN_LIST_CHUNK = 500;
    /** PostgreSQL's SQLSTATE for a unique index that refused a row. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final JdbcAccess access;
    private final MetaSql sql;
    private final @Nullable String channel;
    private final SelectionSql selectionSql;
    private final LimitedCounts counts;
    private final BacklogQuery backlogQuery;
    private final ActivityTable activity;
    private final DelayWarningSql delayWarningSql;
    private final DestinationTable destinations;
    /** The last destination this store's previous claim examined: the next claim starts after it (round-robin). */
    private volatile @Nullable String destinationCursor;
    /** Counts claim calls: every other delivery claim takes messages with a destination first. */
    private final java.util.concurrent.atomic.AtomicLong claimTurns = new java.util.concurrent.atomic.AtomicLong();
    /**
     * When claims may pass over the destinations' step: for a second after a claim found no destination with due
     * messages, unless something may have brought some since that claim began (see {@link #destinationsMayBeDue}).
     */
    private volatile @Nullable DestinationsIdle destinationsIdle;
    /**
     * Counts what may have brought destinations due messages (this store's enqueues with a destination, resumptions,
     * another instance's notifications): an idle second recorded by a claim that began before the latest of them does
     * not hold, so a claim in flight cannot undo the wake-up of an enqueue that committed meanwhile.
     */
    private final java.util.concurrent.atomic.AtomicLong destinationWakeUps = new java.util.concurrent.atomic.AtomicLong();
    /** Whether this store made sure the delay-warning index exists (on its first claim). */
    private volatile boolean delayWarningIndexReady;

    /**
     * Creates a store on the default table {@code retryspool_messages}.
     *
     * @param dataSource the database
     */
    public JdbcMetaStore(DataSource dataSource) {
        this(dataSource, JdbcTables.defaults());
    }

    /**
     * Creates a store.
     *
     * @param dataSource the database
     * @param tables the table names
     */
    public JdbcMetaStore(DataSource dataSource, JdbcTables tables) {
        this.access = new JdbcAccess(Arguments.requireNonNull("dataSource", dataSource));
        this.sql = new MetaSql(Arguments.requireNonNull("tables", tables).metaTable(), access.dialect);
        this.selectionSql = new SelectionSql(sql.table, access.dialect);
        this.counts = new LimitedCounts(access.jdbc, sql.table, access.dialect);
        this.backlogQuery = new BacklogQuery(access.jdbc, sql.table, access.dialect, counts);
        this.activity = new ActivityTable(access.jdbc, tables.activityTable(), access.dialect);
        this.channel = access.dialect instanceof PostgresDialect
                ? PostgresWakeUps.channelFor(access.run("read the current schema",
                        () -> access.jdbc.queryForObject("SELECT current_schema()", String.class)), tables.metaTable())
                : null;
        this.delayWarningSql = new DelayWarningSql(tables.metaTable(), access.dialect);
        this.destinations = new DestinationTable(access.jdbc, access.dialect, tables.destinationTable(), sql.table);
    }

    /**
     * On PostgreSQL, listens on the table's notification channel with one connection held from the
     * DataSource; elsewhere pushes nothing.
     */
    @Override
    public Subscription subscribeToClaimable(Runnable onClaimable) {
        if (!(access.dialect instanceof PostgresDialect)) {
            return MetaStore.super.subscribeToClaimable(onClaimable);
        }
        // another instance's enqueue may have brought due messages with a destination: end the destinations' idle
        // second, so that they are claimed now rather than after it
        PostgresWakeUps wakeUps = new PostgresWakeUps(access.dataSource, Objects.requireNonNull(channel), () -> {
            destinationsMayBeDue();
            onClaimable.run();
        });
        return wakeUps::close;
    }

    /** On PostgreSQL, tells listening instances (at commit) that claimable messages appeared. */
    // the result set extractor may return null, which NullAway outside its JSpecify mode takes as non-null
    @SuppressWarnings("NullAway")
    private void announceClaimable() {
        if (access.dialect instanceof PostgresDialect) {
            access.jdbc.query("SELECT pg_notify(?, '')", rs -> null, channel);
        }
    }

    /**
     * Returns the DataSource the store writes to.
     *
     * @return the DataSource
     */
    public DataSource dataSource() {
        return access.dataSource;
    }

    @Override
    public List<StoreResult> storeAll(List<NewMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        return access.inTransaction("store " + messages.size() + " message(s) in " + sql.table, () -> {
            List<Object[]> rows = new ArrayList<>(messages.size());
            for (NewMessage message : messages) {
                MessageMetadata m = message.metadata();
                rows.add(new Object[]{m.id(), m.state().code(), m.attempts(), m.maxAttempts(),
                        time(m.nextRetry()), time(m.created()), time(m.updated()), m.lastError(), m.size(),
                        m.priority(), HeadersJson.write(m.headers()), m.retryPolicyName(), m.destination(),
                        message.idempotencyKey()});
            }
            List<String> destinationNames = DestinationTable.distinct(
                    messages.stream().map(message -> message.metadata().destination()).toList());
            if (!destinationNames.isEmpty()) {
                destinations.ensure(access, destinationNames);
                destinationsMayBeDue();
            }
            int[] inserted = access.dialect.insertRows(access, sql.insert, rows);
            if (Arrays.stream(inserted).anyMatch(count -> count != 0)) {
                announceClaimable();
            }
            List<StoreResult> results = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                NewMessage message = messages.get(i);
                if (inserted[i] != 0) {
                    results.add(new StoreResult(message.metadata().id(), true));
                    continue;
                }
                results.add(heldByIdempotencyKey(message));
            }
            return results;
        });
    }

    /**
     * Stores messages with their bodies in {@code data}, a body table on this store's DataSource, each body fitting in
     * one chunk: both tables in as few round trips as the database allows. On PostgreSQL one statement for the whole
     * group (rows passed as arrays; outside a caller's transaction it runs on its own, atomic as any single
     * statement), elsewhere two batched statements in one transaction.
     */
    List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> bodies, JdbcDataStore data,
                                         StoreTransactions transactions) {
        if (messages.isEmpty()) {
            return List.of();
        }
        String what = "store " + messages.size() + " message(s) in " + sql.table;
        if (access.dialect instanceof PostgresDialect) {
            Set<String> inserted = transactions.callerTransactionActive()
                    ? access.inTransaction(what, () -> insertWithBodiesOnPostgres(messages, bodies, data))
                    : access.run(what, () -> insertWithBodiesOnPostgres(messages, bodies, data));
            return access.run(what, () -> resultsAfterInsert(messages, inserted, data));
        }
        return access.inTransaction(what, () -> {
            data.insertSingleChunks(messages.stream().map(message -> message.metadata().id()).toList(), bodies);
            Set<String> inserted = new HashSet<>();
            for (StoreResult result : storeAll(messages)) {
                if (result.created()) {
                    inserted.add(result.id());
                }
            }
            return resultsAfterInsert(messages, inserted, data);
        });
    }

    private Set<String> insertWithBodiesOnPostgres(List<NewMessage> messages, List<byte[]> bodies, JdbcDataStore data) {
        PostgresRows rows = PostgresRows.of(messages, bodies);
        return access.jdbc.execute((java.sql.Connection connection) -> {
            if (!rows.anyIdempotencyKey() && connection.getAutoCommit()) {
                try {
                    return insertWithBodies(connection, data, rows, false);
                } catch (java.sql.SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // the statement ran on its own and stored nothing; the careful form finds out which message clashed
                }
            }
            return insertWithBodies(connection, data, rows, true);
        });
    }

    /**
     * One statement that inserts bodies and metadata and wakes listening instances; returns the ids it inserted.
     * With {@code skipConflicts} a message whose id or idempotency key is taken is left out; without, any clash
     * fails the whole statement, which spares PostgreSQL the speculative insertion (and its extra WAL record) of
     * every row: the form for groups without idempotency keys, whose fresh ids do not clash.
     */
    private Set<String> insertWithBodies(java.sql.Connection connection, JdbcDataStore data, PostgresRows rows,
                                         boolean skipConflicts) throws java.sql.SQLException {
        List<String> destinationNames = DestinationTable.distinct(Arrays.asList(rows.destinations()));
        // the rows of new destinations, in the same statement; a group without destinations pays nothing for them
        if (!destinationNames.isEmpty()) {
            destinationsMayBeDue();
        }
        String newDestinations = destinationNames.isEmpty() ? "" : "dst AS (INSERT INTO " + destinations.table()
                + " (name) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING), ";
        String statement = "WITH " + newDestinations
                + "d AS (INSERT INTO " + data.table() + " (message_id, chunk_no, data, created)"
                + " SELECT b.id, 0, b.body, ? FROM unnest(?::varchar[], ?::bytea[]) AS b(id, body)),"
                + " m AS (INSERT INTO " + sql.table + " (" + MetaSql.INSERT_COLUMNS + ", idempotency_key)"
                + " SELECT x.id, x.state, x.attempts, x.max_attempts, x.next_retry, x.created, x.updated, x.last_error,"
                + " x.size, x.priority, x.headers::json, x.retry_policy, x.destination, x.idempotency_key"
                + " FROM unnest(?::varchar[], ?::int[], ?::int[], ?::int[], ?::timestamptz[], ?::timestamptz[],"
                + " ?::timestamptz[], ?::text[], ?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[])"
                + " AS x(id, state, attempts, max_attempts, next_retry, created, updated, last_error, size, priority,"
                + " headers, retry_policy, destination, idempotency_key)"
                + (skipConflicts ? " ON CONFLICT DO NOTHING" : "")
                + " RETURNING id) SELECT m.id FROM m, (SELECT pg_notify(?, '')) AS wake_up";
        try (java.sql.PreparedStatement ps = connection.prepareStatement(statement)) {
            int p = 1;
            if (!destinationNames.isEmpty()) {
                ps.setArray(p++, connection.createArrayOf("text", destinationNames.toArray()));
            }
            ps.setObject(p++, data.createdNow());
            ps.setArray(p++, connection.createArrayOf("varchar", rows.ids()));
            ps.setArray(p++, connection.createArrayOf("bytea", rows.bodies()));
            ps.setArray(p++, connection.createArrayOf("varchar", rows.ids()));
            ps.setArray(p++, connection.createArrayOf("int4", rows.states()));
            ps.setArray(p++, connection.createArrayOf("int4", rows.attempts()));
            ps.setArray(p++, connection.createArrayOf("int4", rows.maxAttempts()));
            ps.setArray(p++, connection.createArrayOf("text", rows.nextRetries()));
            ps.setArray(p++, connection.createArrayOf("text", rows.created()));
            ps.setArray(p++, connection.createArrayOf("text", rows.updated()));
            ps.setArray(p++, connection.createArrayOf("text", rows.lastErrors()));
            ps.setArray(p++, connection.createArrayOf("int8", rows.sizes()));
            ps.setArray(p++, connection.createArrayOf("int4", rows.priorities()));
            ps.setArray(p++, connection.createArrayOf("text", rows.headers()));
            ps.setArray(p++, connection.createArrayOf("text", rows.policies()));
            ps.setArray(p++, connection.createArrayOf("text", rows.destinations()));
            ps.setArray(p++, connection.createArrayOf("text", rows.keys()));
            ps.setString(p, channel);
            Set<String> inserted = new HashSet<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            return inserted;
        }
    }

    /** A group's columns as the arrays PostgreSQL unnests into rows. */
    private record PostgresRows(String[] ids, byte[][] bodies, Integer[] states, Integer[] attempts,
                                Integer[] maxAttempts, String[] nextRetries, String[] created, String[] updated,
                                String[] lastErrors, Long[] sizes, Integer[] priorities, String[] headers,
                                String[] policies, String[] destinations, String[] keys,
                                boolean anyIdempotencyKey) {

        static PostgresRows of(List<NewMessage> messages, List<byte[]> bodies) {
            int n = messages.size();
            String[] ids = new String[n];
            Integer[] states = new Integer[n];
            Integer[] attempts = new Integer[n];
            Integer[] maxAttempts = new Integer[n];
            String[] nextRetries = new String[n];
            String[] created = new String[n];
            String[] updated = new String[n];
            String[] lastErrors = new String[n];
            Long[] sizes = new Long[n];
            Integer[] priorities = new Integer[n];
            String[] headers = new String[n];
            String[] policies = new String[n];
            String[] destinations = new String[n];
            String[] keys = new String[n];
            boolean anyKey = false;
            InstantTexts times = new InstantTexts();
            for (int i = 0; i < n; i++) {
                MessageMetadata m = messages.get(i).metadata();
                ids[i] = m.id();
                states[i] = m.state().code();
                attempts[i] = m.attempts();
                maxAttempts[i] = m.maxAttempts();
                nextRetries[i] = times.text(m.nextRetry());
                created[i] = times.text(m.created());
                updated[i] = times.text(m.updated());
                lastErrors[i] = m.lastError();
                sizes[i] = m.size();
                priorities[i] = m.priority();
                headers[i] = HeadersJson.write(m.headers());
                policies[i] = m.retryPolicyName();
                destinations[i] = m.destination();
                keys[i] = messages.get(i).idempotencyKey();
                anyKey |= keys[i] != null;
            }
            return new PostgresRows(ids, bodies.toArray(new byte[0][]), states, attempts, maxAttempts, nextRetries,
                    created, updated, lastErrors, sizes, priorities, headers, policies, destinations, keys, anyKey);
        }
    }

    /** Instants as PostgreSQL reads them; a group's messages mostly share one, so the last text is reused. */
    private static final class InstantTexts {
        private @Nullable Instant last;
        private @Nullable String lastText;

        String text(Instant instant) {
            String text = lastText;
            if (text == null || !instant.equals(last)) {
                last = instant;
                text = instant.toString();
                lastText = text;
            }
            return text;
        }
    }

    /**
     * The result of a message that was not inserted: the id of the message holding its idempotency key. The key is
     * compared once more here, exactly: MariaDB's binary collation pads with spaces, so its {@code =} also finds keys
     * that differ only in trailing spaces (its unique index tells them apart by their length).
     */
    // the result set extractor may return null, which NullAway outside its JSpecify mode takes as non-null
    @SuppressWarnings("NullAway")
    private StoreResult heldByIdempotencyKey(NewMessage message) {
        String key = message.idempotencyKey();
        String existing = key == null ? null : access.jdbc.query(sql.selectIdByIdempotencyKey, rs -> {
            while (rs.next()) {
                if (key.equals(rs.getString(2))) {
                    return rs.getString(1);
                }
            }
            return null;
        }, key);
        if (existing == null) {
            throw new IllegalArgumentException("metadata: a message with id " + message.metadata().id()
                    + " already exists in " + sql.table);
        }
        return new StoreResult(existing, false);
    }

    /** Results in request order; bodies of messages not inserted (idempotency key held) are removed again. */
    private List<StoreResult> resultsAfterInsert(List<NewMessage> messages, Set<String> inserted, JdbcDataStore data) {
        List<StoreResult> results = new ArrayList<>(messages.size());
        List<String> notInserted = new ArrayList<>();
        for (NewMessage message : messages) {
            String id = message.metadata().id();
            if (inserted.contains(id)) {
                results.add(new StoreResult(id, true));
                continue;
            }
            notInserted.add(id);
            results.add(heldByIdempotencyKey(message));
        }
        if (!notInserted.isEmpty()) {
            data.deleteAll(notInserted);
        }
        return results;
    }

    @Override
    public Optional<MessageMetadata> find(String id) {
        return access.run("read message " + id + " from " + sql.table,
                () -> access.jdbc.query(sql.selectById, sql.metadataMapper(), id).stream().findFirst());
    }

    @Override
    public Set<String> existingIds(Collection<String> ids) {
        Set<String> existing = new HashSet<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IN_LIST_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST_CHUNK));
            String in = chunk.stream().map(id -> "?").collect(Collectors.joining(", "));
            existing.addAll(access.run("look up message ids in " + sql.table, () -> access.jdbc.queryForList(
                    "SELECT id FROM " + sql.table + " WHERE id IN (" + in + ")", String.class, chunk.toArray())));
        }
        return existing;
    }

    @Override
    public MessageMetadata update(String id, UnaryOperator<MessageMetadata> change) {
        return access.inTransaction("update message " + id + " in " + sql.table, () -> {
            MessageMetadata current = access.jdbc.query(sql.selectByIdForUpdate, sql.metadataMapper(), id)
                    .stream().findFirst().orElseThrow(() -> notFound(id));
            MessageMetadata m = change.apply(current);
            access.jdbc.update(sql.update, m.state().code(), m.attempts(), m.maxAttempts(), time(m.nextRetry()),
                    time(m.updated()), m.lastError(), m.size(), m.priority(), HeadersJson.write(m.headers()),
                    m.retryPolicyName(), MetaSql.archiveReason(m.archivedAs()), id);
            return m;
        });
    }

    @Override
    public boolean delete(String id) {
        return access.inTransaction("delete message " + id + " from " + sql.table,
                () -> access.jdbc.update(sql.delete, id) > 0);
    }

    @Override
    public Page<Message> list(QueueState state, ListOptions options, long exactLimit) {
        String column = MetaSql.sortColumn(options.sortBy());
        String direction = options.descending() ? "DESC" : "ASC";
        List<Object> args = new ArrayList<>();
        args.add(state.code());
        StringBuilder query = new StringBuilder("SELECT " + MetaSql.COLUMNS + " FROM " + sql.table + " WHERE state = ?");
        if (options.after() != null) {
            ListCursor cursor = ListCursor.decode(options);
            Object value = sortValue(options, cursor);
            String comparison = options.descending() ? "<" : ">";
            query.append(" AND (").append(column).append(' ').append(comparison).append(" ? OR (").append(column)
                    .append(" = ? AND id ").append(comparison).append(" ?))");
            args.add(value);
            args.add(value);
            args.add(cursor.id());
        }
        query.append(" ORDER BY ").append(column).append(' ').append(direction).append(", id ").append(direction)
                .append(" LIMIT ?");
        args.add(options.limit() + 1);
        if (options.after() == null && options.offset() > 0) {
            query.append(" OFFSET ?");
            args.add(options.offset());
        }
        return access.run("list " + state + " messages in " + sql.table, () -> {
            List<MessageMetadata> rows = access.jdbc.query(query.toString(), sql.metadataMapper(), args.toArray());
            Count total = counts.inState(state, exactLimit);
            boolean hasMore = rows.size() > options.limit();
            List<MessageMetadata> page = hasMore ? rows.subList(0, options.limit()) : rows;
            String next = hasMore ? ListCursor.after(options, page.get(page.size() - 1)).encode() : null;
            return new Page<>(page.stream().map(Message::of).toList(), total.value(), hasMore, next,
                    total.estimated());
        });
    }

    private Object sortValue(ListOptions options, ListCursor cursor) {
        return switch (options.sortBy()) {
            case PRIORITY -> (int) cursor.sortValue();
            case CREATED, UPDATED, NEXT_RETRY -> time(Instant.EPOCH.plus(cursor.sortValue(), java.time.temporal.ChronoUnit.MICROS));
        };
    }

    @Override
    public MessageMetadata moveToState(String id, QueueState from, QueueState to, Instant updated, @Nullable Instant nextRetry) {
        boolean fromActive = from == QueueState.ACTIVE;
        boolean freshBudget = to == QueueState.INCOMING;
        List<Object> setArgs = new ArrayList<>(List.of(to.code(), time(updated)));
        if (nextRetry != null) {
            setArgs.add(time(nextRetry));
        }
        if (freshBudget) {
            setArgs.add(time(updated));
        }
        List<Object> whereArgs = new ArrayList<>(List.of(id, from.code()));
        if (!fromActive) {
            whereArgs.addAll(access.dialect.leaseClockArgs(updated));
        }
        RowChange move = sql.moveToState(fromActive, nextRetry != null, freshBudget, setArgs, whereArgs);
        return access.inTransaction("move message " + id + " from " + from + " to " + to + " in " + sql.table, () -> {
            List<MessageMetadata> moved = access.dialect.changeReturning(access.jdbc, move, sql.metadataMapper());
            if (!moved.isEmpty()) {
                if (to == QueueState.INCOMING || to == QueueState.BOUNCE) {
                    announceClaimable();
                }
                return moved.get(0);
            }
            throw conflict(id, from, "not moved to " + to);
        });
    }

    /** Why a message could not be moved or claimed from {@code from}: it is elsewhere, or an attempt on it still runs. */
    // the result set extractor may return null, which NullAway outside its JSpecify mode takes as non-null
    @SuppressWarnings("NullAway")
    private RuntimeException conflict(String id, QueueState from, String consequence) {
        MessageMetadata actual = find(id).orElseThrow(() -> notFound(id));
        if (actual.state() != from) {
            return new StateConflictException(id, actual.state(),
                    "message " + id + " is " + actual.state() + ", not " + from + "; " + consequence);
        }
        String owner = access.jdbc.query("SELECT lease_owner FROM " + sql.table + " WHERE id = ?",
                rs -> rs.next() ? rs.getString(1) : null, id);
        return new StateConflictException(id, actual.state(), "message " + id + " is " + actual.state()
                + " but an attempt on it still runs on instance " + owner + "; " + consequence
                + " (try again once that attempt ends or its lease expires)");
    }

    @Override
    public QueueCounts countByState(long exactLimit) {
        return access.run("count messages in " + sql.table, () -> counts.byState(exactLimit));
    }

    @Override
    public Count countInState(QueueState state, long exactLimit) {
        return access.run("count " + state + " messages in " + sql.table, () -> counts.inState(state, exactLimit));
    }

    /**
     * Claims messages without a destination through the groups' partial indexes (one statement each on PostgreSQL), and
     * those with a destination per destination ({@link #claimDestined}); every other delivery claim takes the latter
     * first, so that neither kind waits for the other. On PostgreSQL each step is atomic on its own (the destinations'
     * step in a transaction of its own); elsewhere the whole claim is one write transaction. For a second after a claim
     * found no destination with due messages, claims pass over the destinations' step; this store's own enqueues with a
     * destination and resumptions end that second at once.
     */
    @Override
    public List<Claim> claim(ClaimRequest request) {
        String tokenPrefix = UUID.randomUUID() + ":";
        String what = "claim due messages from " + sql.table;
        Set<QueueState> delivery = EnumSet.copyOf(StateGroup.DELIVERABLE.states());
        delivery.retainAll(request.states());
        // a second after a claim found no destination with due messages, claims pass over the destinations' step
        long wakeUps = destinationWakeUps.get();
        DestinationsIdle idle = destinationsIdle;
        boolean destined = !delivery.isEmpty() && (idle == null || !idle.holdsAt(System.nanoTime(), wakeUps));
        boolean destinedFirst = destined && claimTurns.getAndIncrement() % 2 == 0;
        boolean oneStatement = access.dialect.claimIsOneStatement();
        Supplier<List<Claim>> claimAll = () -> {
            List<Claim> claims = new ArrayList<>();
            try {
                if (destinedFirst) {
                    claims.addAll(oneStatement ? access.inTransaction(what, () -> claimDestined(request, delivery,
                            request.limit(), tokenPrefix, wakeUps)) : claimDestined(request, delivery, request.limit(),
                            tokenPrefix, wakeUps));
                }
                claims.addAll(claimGroup(StateGroup.DELIVERABLE, request, request.limit() - claims.size(),
                        tokenPrefix));
                int remaining = request.limit() - claims.size();
                if (!destinedFirst && destined && remaining > 0) {
                    claims.addAll(oneStatement ? access.inTransaction(what, () -> claimDestined(request, delivery,
                            remaining, tokenPrefix, wakeUps)) : claimDestined(request, delivery, remaining,
                            tokenPrefix, wakeUps));
                }
                claims.addAll(claimGroup(StateGroup.BOUNCE, request, request.limit() - claims.size(), tokenPrefix));
            } catch (RuntimeException failure) {
                // on PostgreSQL each step commits on its own: the claims of the steps before the failure are held, and
                // thrown away they would wait for their leases to expire and count a failed attempt (seen when the
                // database restarted between two steps); the failure shows again at the next claim. Elsewhere the
                // claim is one transaction, rolled back: nothing is held.
                if (!oneStatement || claims.isEmpty()) {
                    throw failure;
                }
            }
            claims.sort(CLAIM_ORDER);
            return claims;
        };
        return oneStatement ? access.run(what, claimAll) : access.inTransaction(what, claimAll);
    }

    /** Claims up to {@code limit} due messages of one state group that the request asks for. */
    private List<Claim> claimGroup(StateGroup group, ClaimRequest request, int limit, String tokenPrefix) {
        Set<QueueState> wanted = EnumSet.copyOf(group.states());
        wanted.retainAll(request.states());
        if (wanted.isEmpty() || limit <= 0) {
            return List.of();
        }
        return access.dialect.claim(access.jdbc, sql, group, stateFilter(group, wanted), request.now(), limit,
                request.owner(), request.lease(), tokenPrefix);
    }

    private static String stateFilter(StateGroup group, Set<QueueState> wanted) {
        return wanted.equals(group.states()) ? "" : " AND state IN (" + wanted.stream()
                .map(s -> Integer.toString(s.code())).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Claims up to {@code limit} due messages with a destination, inside the caller's transaction, in at most two
     * chunks of destinations: first {@code limit / }{@link #DESTINATION_QUANTUM} of them (rounded up), so that each
     * serves up to a quantum of messages and a claim's statements cost little per message; then, if the batch is still
     * short (their limits held it back, or they had fewer due), as many more as slots are left, one slot each. Per
     * chunk: (1) locks the rows of destinations that have due messages and are not paused, in name order after this
     * store's cursor (the first chunk wraps around), passing over rows another claim holds; (2) counts their running
     * attempts, in a later statement (on PostgreSQL the claim statement of step 4 itself), so the count includes
     * every claim committed by whoever held a row before; (3)
     * gives each destination its allowance (its concurrency limit, 1 on probation, less its running attempts; at most
     * its whole rate tokens) and shares the slots out evenly among them (one each in rounds, each up to its
     * allowance); (4) claims each destination's share by priority then due time; a destination that had fewer due
     * messages than its share leaves the rest to the others, in another round; (5) writes back the rate buckets it
     * drew from; (6) moves the cursor to the last destination it locked.
     */
    private List<Claim> claimDestined(ClaimRequest request, Set<QueueState> delivery, int limit, String tokenPrefix,
                                      long wakeUpsAtStart) {
        if (limit <= 0) {
            return List.of();
        }
        Instant now = request.now();
        String cursor = destinationCursor;
        int firstChunk = (limit + DESTINATION_QUANTUM - 1) / DESTINATION_QUANTUM;
        List<DestinationTable.Candidate> candidates = new ArrayList<>(destinations.lockDue(cursor, true, now,
                firstChunk));
        if (cursor != null && candidates.size() < firstChunk) {
            candidates.addAll(destinations.lockDue(cursor, false, now, firstChunk - candidates.size()));
        }
        if (candidates.isEmpty()) {
            if (!destinations.anyDue(now)) { // none due, rather than all held by other claims
                destinationsIdle = new DestinationsIdle(System.nanoTime() + IDLE_DESTINATIONS_NANOS, wakeUpsAtStart);
            }
            return List.of();
        }
        // fewer than asked for: every destination with due messages that no other claim holds is in this chunk, so
        // the next claim may start from the first (one statement) rather than after the last and wrap around (two)
        destinationCursor = candidates.size() < firstChunk ? null : candidates.get(candidates.size() - 1).name();
        List<Claim> claims = new ArrayList<>(claimChunk(request, delivery, candidates, limit, tokenPrefix));
        if (claims.size() < limit && destinationCursor != null) {
            // more destinations may have due messages: one slot each, after the first chunk and without wrapping
            List<DestinationTable.Candidate> more = destinations.lockDue(destinationCursor, true, now,
                    limit - claims.size());
            if (!more.isEmpty()) {
                destinationCursor = more.get(more.size() - 1).name();
                claims.addAll(claimChunk(request, delivery, more, limit - claims.size(), tokenPrefix));
            }
        }
        return claims;
    }

    /** Steps (2) to (5) of {@link #claimDestined} for one chunk of locked destinations. */
    private List<Claim> claimChunk(ClaimRequest request, Set<QueueState> delivery,
                                   List<DestinationTable.Candidate> candidates, int limit, String tokenPrefix) {
        Instant now = request.now();
        DestinationPolicy policy = request.destinations();
        // a dialect that counts running attempts in its claim statement caps the shares there; the others count them
        // first, for the destinations with a limit
        Map<String, Integer> running = Map.of();
        if (!access.dialect.countsRunningInClaim()) {
            List<String> limited = new ArrayList<>();
            for (DestinationTable.Candidate candidate : candidates) {
                if (candidate.status().probingAt(now) || policy.concurrencyOf(candidate.name()) > 0) {
                    limited.add(candidate.name());
                }
            }
            running = destinations.running(limited, now);
        }
        int n = candidates.size();
        int[] allowance = new int[n];
        List<Integer> caps = new ArrayList<>(n);
        double[] tokens = new double[n];
        for (int i = 0; i < n; i++) {
            DestinationTable.Candidate candidate = candidates.get(i);
            int concurrency = candidate.status().probingAt(now) ? 1 : policy.concurrencyOf(candidate.name());
            caps.add(concurrency);
            long allowed = concurrency == 0 ? limit
                    : Math.max(0, concurrency - running.getOrDefault(candidate.name(), 0));
            java.util.OptionalDouble rate = policy.rateOf(candidate.name());
            if (rate.isPresent()) {
                tokens[i] = refilled(candidate, rate.getAsDouble());
                allowed = Math.min(allowed, (long) Math.floor(tokens[i]));
            }
            allowance[i] = (int) Math.min(allowed, limit);
        }
        String filter = stateFilter(StateGroup.DELIVERABLE, delivery);
        List<String> names = candidates.stream().map(DestinationTable.Candidate::name).toList();
        int[] taken = new int[n];
        List<Claim> claims = new ArrayList<>();
        boolean[] exhausted = new boolean[n];
        while (claims.size() < limit) {
            int[] room = new int[n];
            for (int i = 0; i < n; i++) {
                room[i] = exhausted[i] ? 0 : allowance[i] - taken[i];
            }
            int[] shares = shareOut(room, limit - claims.size());
            List<String> round = new ArrayList<>();
            List<Integer> roundShares = new ArrayList<>();
            List<Integer> roundCaps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (shares[i] > 0) {
                    round.add(names.get(i));
                    roundShares.add(shares[i]);
                    roundCaps.add(caps.get(i));
                }
            }
            if (round.isEmpty()) {
                break;
            }
            List<Claim> claimed = access.dialect.claimOfDestinations(access.jdbc, sql, round, roundShares, roundCaps,
                    filter, now, request.owner(), request.lease(), tokenPrefix);
            claims.addAll(claimed);
            Map<String, Integer> got = new HashMap<>();
            for (Claim claim : claimed) {
                got.merge(claim.metadata().destination(), 1, Integer::sum);
            }
            for (int i = 0; i < n; i++) {
                if (shares[i] > 0) {
                    int count = got.getOrDefault(names.get(i), 0);
                    taken[i] += count;
                    exhausted[i] = count < shares[i];
                }
            }
            if (claimed.isEmpty()) {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            if (policy.rateOf(names.get(i)).isPresent()) {
                destinations.writeTokens(names.get(i), tokens[i] - taken[i], candidates.get(i).clock());
            }
        }
        return claims;
    }

    /**
     * A rate-limited destination's tokens at its row's reading: what it had (a full bucket the first time) plus the
     * rate times the time since it was last refilled, up to the burst.
     */
    private static double refilled(DestinationTable.Candidate candidate, double rate) {
        double burst = DestinationPolicy.burstOf(rate);
        if (candidate.tokens() == null || candidate.refilledAt() == null) {
            return burst;
        }
        Duration since = Duration.between(candidate.refilledAt(), candidate.clock());
        double seconds = since.isNegative() ? 0 : since.toNanos() / 1e9;
        return Math.min(burst, candidate.tokens() + rate * seconds);
    }

    /** Something may have brought destinations due messages: the idle second of a claim begun before it ends. */
    private void destinationsMayBeDue() {
        destinationWakeUps.incrementAndGet();
    }

    /**
     * A second without the destinations' step, recorded by a claim that found none due; it holds only while no
     * {@link #destinationsMayBeDue} came after that claim began. Timed in real time, not on the engine's clock, so
     * that it ends after a second whatever a test's clock does (an enqueue committing while that claim ran, which
     * counted its wake-up before the claim began, waits for it at most).
     *
     * @param untilNanos when it ends, as {@link System#nanoTime()}
     * @param wakeUps the count of wake-ups when that claim began
     */
    private record DestinationsIdle(long untilNanos, long wakeUps) {
        boolean holdsAt(long nowNanos, long currentWakeUps) {
            return wakeUps == currentWakeUps && nowNanos - untilNanos < 0;
        }
    }

    /**
     * Water-filling: shares {@code total} slots out one at a time in rounds, in order, each up to its room.
     *
     * @param room how many each may take
     * @param total the slots to share
     * @return how many each gets
     */
    static int[] shareOut(int[] room, int total) {
        int[] shares = new int[room.length];
        int left = total;
        boolean progress = true;
        while (left > 0 && progress) {
            progress = false;
            for (int i = 0; i < room.length && left > 0; i++) {
                if (shares[i] < room[i]) {
                    shares[i]++;
                    left--;
                    progress = true;
                }
            }
        }
        return shares;
    }

    @Override
    // the destinations' row mapper may return null, which NullAway outside its JSpecify mode takes as non-null
    @SuppressWarnings("NullAway")
    public Optional<Instant> oldestDue(Instant now) {
        String from = access.dialect.claimableFrom(sql.table, StateGroup.DELIVERABLE);
        String firstOfPriority = "SELECT next_retry FROM " + from + " WHERE "
                + access.dialect.claimable(StateGroup.DELIVERABLE)
                + " AND priority = ? ORDER BY next_retry LIMIT 1";
        // the destinations' statement loops over the destinations: its estimated cost (about 980 each) passes
        // PostgreSQL's JIT threshold from about 100 of them on, or on an empty table never analysed; compiling its plan
        // took 7-15 ms with no destinations and 130-380 ms with 1,000, against 0.6 and 2.5-5.7 ms to run it
        return access.withoutPlanCompilation("find the oldest due message in " + sql.table, () -> {
            Instant oldest = null;
            for (int priority : access.dialect.levels(access.jdbc, sql.table, StateGroup.DELIVERABLE)) {
                for (Instant due : access.jdbc.query(firstOfPriority,
                        (rs, n) -> access.dialect.readTime(rs, "next_retry"), priority)) {
                    if (!due.isAfter(now) && (oldest == null || due.isBefore(oldest))) {
                        oldest = due;
                    }
                }
            }
            for (Instant due : access.jdbc.query(access.dialect.oldestDestinedDueStatement(sql.table,
                    destinations.table()), (rs, n) -> access.dialect.readTime(rs, "next_retry"), time(now))) {
                if (due != null && (oldest == null || due.isBefore(oldest))) {
                    oldest = due;
                }
            }
            return Optional.ofNullable(oldest);
        });
    }

    @Override
    public Claim claimById(String id, Set<QueueState> from, String owner, Instant now, Duration lease) {
        String states = from.stream().map(s -> Integer.toString(s.code())).collect(Collectors.joining(", "));
        List<Object> setArgs = new ArrayList<>();
        setArgs.add(owner);
        setArgs.addAll(access.dialect.leaseDeadlineArgs(now, lease));
        setArgs.add(UUID.randomUUID() + ":");
        setArgs.add(time(now));
        RowChange claim = sql.claimById(id, states, setArgs, access.dialect.leaseClockArgs(now));
        return access.inTransaction("claim message " + id + " from " + sql.table, () -> {
            List<Claim> claimed = access.dialect.changeReturning(access.jdbc, claim, sql.claimMapper());
            if (!claimed.isEmpty()) {
                return claimed.get(0);
            }
            MessageMetadata actual = find(id).orElseThrow(() -> notFound(id));
            if (!from.contains(actual.state())) {
                throw new StateConflictException(id, actual.state(),
                        "message " + id + " is " + actual.state() + "; it can be claimed only from " + from);
            }
            throw conflict(id, actual.state(), "not claimed");
        });
    }

    @Override
    public Set<String> renewLeases(Collection<Claim> claims, Instant now, Duration lease) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        List<Claim> held = List.copyOf(claims);
        List<Object> deadline = access.dialect.leaseDeadlineArgs(now, lease);
        return access.inTransaction("renew " + held.size() + " lease(s) in " + sql.table, () -> {
            List<Object[]> rows = held.stream().map(c -> {
                List<Object> row = new ArrayList<>(deadline);
                row.add(c.id());
                row.add(c.token());
                return row.toArray();
            }).toList();
            return staleIds(held.stream().map(Claim::id).toList(), access.batchUpdate(sql.renewLease, rows));
        });
    }

    @Override
    public List<Claim> expiredLeases(Instant now, int limit) {
        List<Object> args = new ArrayList<>(access.dialect.leaseClockArgs(now));
        args.add(limit);
        return access.run("find expired leases in " + sql.table,
                () -> access.jdbc.query(sql.expiredLeases, sql.claimMapper(), args.toArray()));
    }

    @Override
    public Set<String> settleExpiredLeases(List<ClaimOutcome> outcomes, Instant now) {
        if (outcomes.isEmpty()) {
            return Set.of();
        }
        for (ClaimOutcome outcome : outcomes) {
            if (outcome.deletes()) {
                throw new IllegalArgumentException("outcomes: an expired lease is settled by an update, not a deletion ("
                        + outcome.id() + ")");
            }
        }
        List<Object> clock = access.dialect.leaseClockArgs(now);
        return access.inTransaction("settle " + outcomes.size() + " expired lease(s) in " + sql.table, () -> {
            List<Object[]> rows = outcomes.stream().map(outcome -> {
                List<Object> row = new ArrayList<>(Arrays.asList(outcomeColumns(outcome)));
                row.addAll(clock);
                return row.toArray();
            }).toList();
            Set<String> stale = staleIds(outcomes.stream().map(ClaimOutcome::id).toList(),
                    access.batchUpdate(sql.settleExpired, rows));
            if (stale.size() < outcomes.size()) {
                announceClaimable();
            }
            return stale;
        });
    }

    @Override
    public List<String> deleteArchived(Instant updatedBefore, int limit) {
        return access.inTransaction("delete archived messages from " + sql.table, () -> access.dialect.changeReturning(
                access.jdbc, sql.deleteArchived(time(updatedBefore), limit), (rs, n) -> rs.getString(1)));
    }

    @Override
    public Set<String> complete(List<ClaimOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return Set.of();
        }
        return access.inTransaction("store " + outcomes.size() + " outcome(s) in " + sql.table, () -> {
            List<String> deletedIds = new ArrayList<>();
            List<Object[]> deletes = new ArrayList<>();
            List<String> updatedIds = new ArrayList<>();
            List<Object[]> updates = new ArrayList<>();
            for (ClaimOutcome outcome : outcomes) {
                if (outcome.deletes()) {
                    deletedIds.add(outcome.id());
                    deletes.add(new Object[]{outcome.id(), outcome.token()});
                } else {
                    updatedIds.add(outcome.id());
                    updates.add(outcomeColumns(outcome));
                }
            }
            Set<String> stale = new HashSet<>();
            if (!deletes.isEmpty()) {
                stale.addAll(staleIds(deletedIds, access.batchUpdate(sql.completeDelete, deletes)));
            }
            if (!updates.isEmpty()) {
                stale.addAll(staleIds(updatedIds, access.batchUpdate(sql.completeUpdate, updates)));
            }
            clearEndedLeases(outcomes, stale);
            return stale;
        });
    }

    /** The parameters of an outcome's update: the new columns, then the id and token it is conditional on. */
    private Object[] outcomeColumns(ClaimOutcome outcome) {
        MessageMetadata m = Objects.requireNonNull(outcome.result());
        return new Object[]{m.state().code(), m.attempts(), time(m.nextRetry()), m.lastError(),
                HeadersJson.write(m.headers()), time(m.updated()), MetaSql.archiveReason(m.archivedAs()), outcome.id(),
                outcome.token()};
    }

    /** Clears the lease of stale outcomes' messages that an operator moved out of ACTIVE: their attempt has ended. */
    private void clearEndedLeases(List<ClaimOutcome> outcomes, Set<String> stale) {
        if (stale.isEmpty()) {
            return;
        }
        List<Object[]> rows = outcomes.stream().filter(outcome -> stale.contains(outcome.id()))
                .map(outcome -> new Object[]{outcome.id(), outcome.token()}).toList();
        access.batchUpdate(sql.clearEndedLease, rows);
    }

    /** Whether {@link #completeAndDeleteBodies} can delete finished messages and their bodies in one statement. */
    boolean deletesWithBodiesInOneStatement() {
        return access.dialect instanceof PostgresDialect;
    }

    /**
     * Deletes finished messages and their bodies in {@code data} (a body table on this store's DataSource) with one
     * statement, a compare-and-set on each claim token, on its own outside any transaction (PostgreSQL only, see
     * {@link #deletesWithBodiesInOneStatement()}); other outcomes are written as {@link #complete(List)} does.
     */
    Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes, JdbcDataStore data) {
        List<ClaimOutcome> deletes = outcomes.stream().filter(ClaimOutcome::deletes).toList();
        List<ClaimOutcome> updates = outcomes.stream().filter(outcome -> !outcome.deletes()).toList();
        Set<String> stale = new HashSet<>();
        if (!updates.isEmpty()) {
            stale.addAll(complete(updates));
        }
        if (!deletes.isEmpty()) {
            String[] ids = deletes.stream().map(ClaimOutcome::id).toArray(String[]::new);
            String[] tokens = deletes.stream().map(ClaimOutcome::token).toArray(String[]::new);
            // "state + 0": a plain "state = 1" lets the planner read the ACTIVE rows through the lease index, whose
            // dead entries grow with every message delivered, instead of finding each row by its id
            String statement = "WITH done AS (DELETE FROM " + sql.table + " m USING unnest(?::varchar[], ?::text[])"
                    + " AS o(id, token) WHERE m.id = o.id AND m.claim_token = o.token AND m.state + 0 = 1 RETURNING m.id),"
                    + " bodies AS (DELETE FROM " + data.table() + " d USING done WHERE d.message_id = done.id)"
                    + " SELECT id FROM done";
            Set<String> deleted = access.run("delete " + ids.length + " finished message(s) from " + sql.table,
                    () -> access.jdbc.execute((java.sql.Connection connection) -> {
                        try (java.sql.PreparedStatement ps = connection.prepareStatement(statement)) {
                            ps.setArray(1, connection.createArrayOf("varchar", ids));
                            ps.setArray(2, connection.createArrayOf("text", tokens));
                            Set<String> done = new HashSet<>();
                            try (java.sql.ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    done.add(rs.getString(1));
                                }
                            }
                            return done;
                        }
                    }));
            Set<String> staleDeletes = new HashSet<>();
            for (String id : ids) {
                if (!deleted.contains(id)) {
                    staleDeletes.add(id);
                }
            }
            if (!staleDeletes.isEmpty()) {
                access.run("clear ended leases in " + sql.table, () -> {
                    clearEndedLeases(deletes, staleDeletes);
                    return null;
                });
            }
            stale.addAll(staleDeletes);
        }
        return stale;
    }

    @Override
    public BacklogShape backlog(Instant now, long exactLimit) {
        return access.run("read the backlog shape of " + sql.table, () -> backlogQuery.read(now, exactLimit));
    }

    @Override
    public void recordActivity(String instanceId, Collection<ActivityMinute> counts) {
        if (!counts.isEmpty()) {
            access.run("record the activity of instance " + instanceId + " in " + sql.table + "_activity", () -> {
                activity.record(instanceId, counts);
                return null;
            });
        }
    }

    @Override
    public List<ActivityMinute> activity(Instant since) {
        return access.run("read the activity since " + since + " in " + sql.table + "_activity",
                () -> activity.since(since));
    }

    @Override
    public void pruneActivity(Instant before) {
        access.run("delete the activity before " + before + " from " + sql.table + "_activity", () -> {
            activity.prune(before);
            return null;
        });
    }

    private static Set<String> staleIds(List<String> ids, int[] counts) {
        Set<String> stale = new HashSet<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                stale.add(ids.get(i));
            }
        }
        return stale;
    }

    @Contract("!null -> !null")
    private @Nullable Object time(@Nullable Instant instant) {
        return access.dialect.time(instant);
    }

    private MessageNotFoundException notFound(String id) {
        return new MessageNotFoundException("message " + id + " does not exist in " + sql.table);
    }

    @Override
    public Count countMatching(MessageSelection selection, long exactLimit) {
        return access.run("count the " + selection.state() + " messages matching " + selection + " in " + sql.table,
                () -> exactLimit == Long.MAX_VALUE ? Count.exact(exactMatches(selection)) : sampleMatches(selection,
                        exactLimit));
    }

    private long exactMatches(MessageSelection selection) {
        SelectionSql.Statement count = selectionSql.count(selection);
        return Objects.requireNonNull(access.jdbc.queryForObject(count.sql(), Long.class, count.args()));
    }

    /**
     * Reads up to the limit of the selection's range; when more are in range, scales the share of matches among them
     * to the range's estimate (the state's count less the messages too young for the range), or counts exactly on a
     * database without estimates.
     */
    private Count sampleMatches(MessageSelection selection, long exactLimit) {
        SelectionSql.Statement sample = selectionSql.sample(selection, exactLimit + 1);
        long[] read = access.jdbc.queryForObject(sample.sql(),
                (rs, n) -> new long[] {rs.getLong("examined"), rs.getLong("matched")}, sample.args());
        if (read[0] <= exactLimit) {
            return Count.exact(read[1]);
        }
        Count inState = counts.inState(selection.state(), exactLimit);
        if (!inState.estimated()) {
            return Count.exact(exactMatches(selection));
        }
        long inRange = inState.value();
        if (selection.createdBefore() != null) {
            Count younger = counts.inRange(selection.state(), selection.createdBefore(), null, exactLimit);
            inRange = younger.estimated() ? rangeEstimate(selection) : inRange - younger.value();
        }
        return Count.estimate(Math.round((double) read[1] / read[0] * Math.max(read[0], inRange)));
    }

    private long rangeEstimate(MessageSelection selection) {
        List<Object> args = new ArrayList<>(List.of(selection.state().code()));
        String condition = "state = ?" + counts.range(null, selection.createdBefore(), args);
        return counts.estimate(condition, args).orElse(0);
    }

    @Override
    public SelectionBatch moveMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, QueueState to,
                                       Instant updated, @Nullable Instant nextRetry) {
        return access.inTransaction("move " + selection.state() + " messages matching " + selection + " to " + to
                + " in " + sql.table, () -> {
            List<SelectionKey> keys = readWindow(selection, after, limit);
            if (keys.isEmpty()) {
                return new SelectionBatch(List.of(), null);
            }
            RowChange move = selectionSql.move(selection, ids(keys), to, updated, nextRetry);
            Set<String> moved = new HashSet<>(access.dialect.changeReturning(access.jdbc, move,
                    (rs, n) -> rs.getString(1)));
            if (!moved.isEmpty() && (to == QueueState.INCOMING || to == QueueState.BOUNCE)) {
                announceClaimable();
            }
            return batchOf(keys, moved, limit);
        });
    }

    @Override
    public SelectionBatch deleteMatching(MessageSelection selection, @Nullable SelectionKey after, int limit) {
        return access.inTransaction("delete " + selection.state() + " messages matching " + selection + " from "
                + sql.table, () -> {
            List<SelectionKey> keys = readWindow(selection, after, limit);
            if (keys.isEmpty()) {
                return new SelectionBatch(List.of(), null);
            }
            RowChange delete = selectionSql.delete(selection, ids(keys));
            Set<String> deleted = new HashSet<>(access.dialect.changeReturning(access.jdbc, delete,
                    (rs, n) -> rs.getString(1)));
            return batchOf(keys, deleted, limit);
        });
    }

    private List<SelectionKey> readWindow(MessageSelection selection, @Nullable SelectionKey after, int limit) {
        SelectionSql.Statement batch = selectionSql.batch(selection, after, limit);
        return access.jdbc.query(batch.sql(), selectionSql.keyMapper(), batch.args());
    }

    private static List<String> ids(List<SelectionKey> keys) {
        return keys.stream().map(SelectionKey::id).toList();
    }

    /** The changed ids in selection order, and where the next window starts unless this one was the last. */
    private static SelectionBatch batchOf(List<SelectionKey> keys, Set<String> changed, int limit) {
        List<String> inOrder = keys.stream().map(SelectionKey::id).filter(changed::contains).toList();
        return new SelectionBatch(inOrder, keys.size() < limit ? null : keys.get(keys.size() - 1));
    }

    @Override
    public List<MessageMetadata> claimDelayWarnings(Instant createdBefore, Instant now, int limit) {
        Arguments.requireNonNull("createdBefore", createdBefore);
        Arguments.requireNonNull("now", now);
        Arguments.requirePositive("limit", limit);
        if (!delayWarningIndexReady) {
            delayWarningIndexReady = access.run("create the delay-warning index on " + sql.table,
                    () -> access.jdbc.execute(delayWarningSql::createIndexOnce));
        }
        List<MessageMetadata> warned = access.inTransaction("claim delay warnings in " + sql.table,
                () -> delayWarningSql.claim(access.jdbc, sql.metadataMapper(), time(createdBefore), limit, time(now)));
        return warned.stream().sorted(Comparator.comparing(MessageMetadata::created)
                .thenComparing(MessageMetadata::id)).toList();
    }

    @Override
    public SelectionPage listMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, int maxExamined) {
        Arguments.requireNonNull("selection", selection);
        Arguments.requirePositive("limit", limit);
        Arguments.requirePositive("maxExamined", maxExamined);
        return access.run("list " + selection.state() + " messages matching " + selection + " in " + sql.table, () -> {
            List<MessageMetadata> matches = new ArrayList<>();
            SelectionKey from = after;
            int examined = 0;
            while (examined < maxExamined) {
                // the first window is as large as the page (enough when most rows match), the others one IN list
                int size = Math.min(maxExamined - examined,
                        examined == 0 ? Math.min(limit, IN_LIST_CHUNK) : IN_LIST_CHUNK);
                List<SelectionKey> keys = readWindow(selection, from, size);
                examined += keys.size();
                Map<String, MessageMetadata> matching = keys.isEmpty() ? Map.of() : readMatching(selection, keys);
                for (SelectionKey key : keys) {
                    MessageMetadata match = matching.get(key.id());
                    if (match != null) {
                        matches.add(match);
                        if (matches.size() == limit) {
                            return new SelectionPage(matches, key);
                        }
                    }
                }
                if (keys.size() < size) {
                    return new SelectionPage(matches, null);
                }
                from = keys.get(keys.size() - 1);
            }
            return new SelectionPage(matches, from);
        });
    }

    /** The rows of a window that are still in the selection's state and match it, by id. */
    private Map<String, MessageMetadata> readMatching(MessageSelection selection, List<SelectionKey> keys) {
        SelectionSql.Statement matching = selectionSql.matching(selection, ids(keys));
        return access.jdbc.query(matching.sql(), sql.metadataMapper(), matching.args()).stream()
                .collect(Collectors.toMap(MessageMetadata::id, metadata -> metadata));
    }
    @Override
    public void recordDestinationResults(List<DestinationResult> results, DestinationPolicy policy, Instant now) {
        Arguments.requireNonNull("results", results);
        Arguments.requireNonNull("policy", policy);
        Arguments.requireNonNull("now", now);
        if (results.isEmpty()) {
            return;
        }
        access.inTransaction("record " + results.size() + " destination result(s) in " + destinations.table(), () -> {
            destinations.record(access, results, policy, now);
            return null;
        });
    }

    @Override
    public List<DestinationStatus> suspendedDestinations() {
        return access.run("read the suspended destinations in " + destinations.table(), destinations::suspended);
    }

    @Override
    public boolean resumeDestination(String destination) {
        Arguments.requireNonNull("destination", destination);
        boolean resumed = access.inTransaction("resume destination " + destination + " in " + destinations.table(),
                () -> destinations.resume(destination));
        destinationsMayBeDue();
        return resumed;
    }
}
