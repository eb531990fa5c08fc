package io.retryspool.storage.memory;

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
import io.retryspool.SortField;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MetaStore} in this process's memory: for tests and for spools that may lose their messages
 * when the process ends. Claims take due messages from per-state indexes ordered by priority then next
 * retry, so they never scan messages that are not due. One lock guards every change.
 *
 * <p>Messages with a destination waiting for delivery (INCOMING, DEFERRED) are indexed per destination, so that a
 * claim shares its batch out among the destinations as {@link MetaStore#claim} describes without reading the messages
 * of destinations it does not serve; the running attempts of a destination are the unexpired delivery leases of its
 * messages, kept per destination as leases are recorded and cleared, and rate limits are token buckets refilled on {@link ClaimRequest#now()}. A store that holds no such
 * message claims exactly as before destinations existed.
 */
public final class InMemoryMetaStore implements MetaStore {

    private static final Comparator<Row> DUE_ORDER = Comparator
            .comparingInt((Row row) -> -row.metadata.priority())
            .thenComparing(row -> row.metadata.nextRetry())
            .thenComparing(row -> row.metadata.id());

    private static final Comparator<Row> CREATED_ORDER = Comparator
            .comparing((Row row) -> row.metadata.created())
            .thenComparing(row -> row.metadata.id());
    /** The states of undelivered messages, which get delay warnings. */
    private static final Set<QueueState> WARNABLE =
            EnumSet.of(QueueState.INCOMING, QueueState.ACTIVE, QueueState.DEFERRED, QueueState.HOLD);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Row> rows = new HashMap<>();
    /** Per minute, each instance's recorded activity. */
    private final NavigableMap<Instant, Map<String, ActivityMinute>> activity = new TreeMap<>();
    private final Map<String, String> idsByIdempotencyKey = new HashMap<>();
    private final Map<QueueState, NavigableSet<Row>> dueIndex = new EnumMap<>(QueueState.class);
    private final Set<String> activeIds = new HashSet<>();
    /** Rows a delay warning may still be issued for (see {@link #WARNABLE}), oldest first. */
    private final NavigableSet<Row> unwarned = new TreeSet<>(CREATED_ORDER);
    /**
     * Rows with a destination in INCOMING or DEFERRED, per destination (by name) and state, each ordered as
     * {@link #dueIndex}; rows without a destination and all of BOUNCE are in {@link #dueIndex}. A destination without
     * such rows has no entry.
     */
    private final NavigableMap<String, Map<QueueState, NavigableSet<Row>>> destinationIndex = new TreeMap<>();
    /**
     * Per destination, its messages whose lease of a delivery claim is recorded (an attempt runs, see
     * {@link MetaStore#claim}, until the lease expires); absent for none. Runs of the bounce handlers do not count.
     */
    private final Map<String, Set<Row>> leased = new HashMap<>();
    /** The status of every destination that is not healthy (failures or suspensions). */
    private final Map<String, DestinationStatus> destinationStatuses = new HashMap<>();
    /** The token buckets of destinations with a rate limit. */
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    /** The destination the previous claim gave its last message to: the next claim starts after it. */
    private @Nullable String lastServed;
    /** Whether the next claim of both kinds takes messages with a destination first (alternates per claim). */
    private boolean destinationsFirst;

    /** Creates an empty store. */
    public InMemoryMetaStore() {
        for (QueueState state : List.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.BOUNCE)) {
            dueIndex.put(state, new TreeSet<>(DUE_ORDER));
        }
    }

    @Override
    public List<StoreResult> storeAll(List<NewMessage> messages) {
        lock.lock();
        try {
            Map<String, String> batchKeys = new HashMap<>();
            for (NewMessage message : messages) {
                String id = message.metadata().id();
                if (rows.containsKey(id) || batchKeys.containsValue(id)) {
                    throw new IllegalArgumentException("metadata: a message with id " + id + " already exists");
                }
                if (message.idempotencyKey() != null) {
                    batchKeys.putIfAbsent(message.idempotencyKey(), id);
                }
            }
            List<StoreResult> results = new ArrayList<>(messages.size());
            for (NewMessage message : messages) {
                String key = message.idempotencyKey();
                String existing = key == null ? null : idsByIdempotencyKey.get(key);
                if (existing != null) {
                    results.add(new StoreResult(existing, false));
                    continue;
                }
                Row row = new Row(message.metadata(), key);
                rows.put(row.metadata.id(), row);
                if (key != null) {
                    idsByIdempotencyKey.put(key, row.metadata.id());
                }
                index(row);
                results.add(new StoreResult(row.metadata.id(), true));
            }
            return results;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<MessageMetadata> find(String id) {
        lock.lock();
        try {
            Row row = rows.get(id);
            return row == null ? Optional.empty() : Optional.of(row.metadata);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public MessageMetadata update(String id, UnaryOperator<MessageMetadata> change) {
        lock.lock();
        try {
            Row row = existing(id);
            MessageMetadata changed = change.apply(row.metadata);
            replace(row, changed);
            return changed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean delete(String id) {
        lock.lock();
        try {
            Row row = rows.remove(id);
            if (row == null) {
                return false;
            }
            setLease(row, null);
            unindex(row);
            if (row.idempotencyKey != null) {
                idsByIdempotencyKey.remove(row.idempotencyKey, id);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Page<Message> list(QueueState state, ListOptions options, long exactLimit) {
        Comparator<MessageMetadata> order = listOrder(options.sortBy(), options.descending());
        List<MessageMetadata> inState = new ArrayList<>();
        lock.lock();
        try {
            for (Row row : rows.values()) {
                if (row.metadata.state() == state) {
                    inState.add(row.metadata);
                }
            }
        } finally {
            lock.unlock();
        }
        inState.sort(order);
        int start = 0;
        if (options.after() != null) {
            ListCursor cursor = ListCursor.decode(options);
            while (start < inState.size() && !isAfter(inState.get(start), cursor)) {
                start++;
            }
        } else {
            start = (int) Math.min(options.offset(), inState.size());
        }
        int end = Math.min(start + options.limit(), inState.size());
        List<Message> items = inState.subList(start, end).stream().map(Message::of).toList();
        boolean hasMore = end < inState.size();
        String next = hasMore ? ListCursor.after(options, inState.get(end - 1)).encode() : null;
        return new Page<>(items, inState.size(), hasMore, next);
    }

    private static boolean isAfter(MessageMetadata metadata, ListCursor cursor) {
        int bySortKey = Long.compare(ListCursor.sortValue(metadata, cursor.sortBy()), cursor.sortValue());
        int compared = bySortKey != 0 ? bySortKey : metadata.id().compareTo(cursor.id());
        return cursor.descending() ? compared < 0 : compared > 0;
    }

    private static Comparator<MessageMetadata> listOrder(SortField sortBy, boolean descending) {
        Comparator<MessageMetadata> order = Comparator
                .comparingLong((MessageMetadata metadata) -> ListCursor.sortValue(metadata, sortBy))
                .thenComparing(MessageMetadata::id);
        return descending ? order.reversed() : order;
    }

    @Override
    public MessageMetadata moveToState(String id, QueueState from, QueueState to, Instant updated, @Nullable Instant nextRetry) {
        lock.lock();
        try {
            Row row = existing(id);
            requireMovable(row, from, updated, "not moved to " + to);
            MessageMetadata.Builder moved = row.metadata.toBuilder().state(to).archivedAs(null).updated(updated);
            if (nextRetry != null) {
                moved.nextRetry(nextRetry);
            }
            if (to == QueueState.INCOMING) {
                moved.attempts(0);
                row.lifetimeStart = updated;
            }
            if (from != QueueState.ACTIVE) {
                setLease(row, null);
            }
            replace(row, moved.build());
            return row.metadata;
        } finally {
            lock.unlock();
        }
    }

    /** Checks that a row is in {@code from} and, unless it leaves ACTIVE, that no attempt on it still runs. */
    private static void requireMovable(Row row, QueueState from, Instant now, String consequence) {
        String id = row.metadata.id();
        if (row.metadata.state() != from) {
            throw new StateConflictException(id, row.metadata.state(),
                    "message " + id + " is " + row.metadata.state() + ", not " + from + "; " + consequence);
        }
        if (from != QueueState.ACTIVE && row.lease != null && !row.lease.until.isBefore(now)) {
            throw new StateConflictException(id, from, "message " + id + " is " + from
                    + " but an attempt on it still runs on instance " + row.lease.owner + "; " + consequence
                    + " (try again once that attempt ends or its lease expires)");
        }
    }

    @Override
    public QueueCounts countByState(long exactLimit) {
        return QueueCounts.exact(exactCounts());
    }

    @Override
    public Count countInState(QueueState state, long exactLimit) {
        return Count.exact(Objects.requireNonNull(exactCounts().get(state)));
    }

    private Map<QueueState, Long> exactCounts() {
        Map<QueueState, Long> counts = new EnumMap<>(QueueState.class);
        for (QueueState state : QueueState.values()) {
            counts.put(state, 0L);
        }
        lock.lock();
        try {
            for (Row row : rows.values()) {
                counts.merge(row.metadata.state(), 1L, Long::sum);
            }
        } finally {
            lock.unlock();
        }
        return counts;
    }

    @Override
    public List<Claim> claim(ClaimRequest request) {
        lock.lock();
        try {
            int limit = request.limit();
            List<Row> chosen;
            if (destinationIndex.isEmpty() || !(request.states().contains(QueueState.INCOMING)
                    || request.states().contains(QueueState.DEFERRED))) {
                chosen = dueWithoutDestination(request, limit);
            } else {
                boolean withDestinationFirst = destinationsFirst;
                destinationsFirst = !withDestinationFirst;
                if (withDestinationFirst) {
                    chosen = dueWithDestination(request, limit);
                    chosen.addAll(dueWithoutDestination(request, limit - chosen.size()));
                } else {
                    chosen = dueWithoutDestination(request, limit);
                    chosen.addAll(dueWithDestination(request, limit - chosen.size()));
                }
                chosen.sort(DUE_ORDER);
            }
            List<Claim> claims = new ArrayList<>(chosen.size());
            for (Row row : chosen) {
                claims.add(takeLease(row, request.owner(), request.now(), request.lease()));
            }
            return claims;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code limit} due rows of {@link #dueIndex}: messages without a destination and, from BOUNCE, all; by
     * priority then next retry.
     */
    private List<Row> dueWithoutDestination(ClaimRequest request, int limit) {
        if (limit <= 0) {
            return new ArrayList<>();
        }
        List<Row> due = new ArrayList<>();
        for (QueueState state : request.states()) {
            collectDue(Objects.requireNonNull(dueIndex.get(state)), request.now(), limit, due);
        }
        due.sort(DUE_ORDER);
        return due.size() <= limit ? due : new ArrayList<>(due.subList(0, limit));
    }

    /**
     * Up to {@code slots} due rows with a destination from the request's delivery states, shared out among the
     * destinations in rounds of one row each (each capped by its allowance: concurrency, probation, rate), in name
     * order from after {@link #lastServed}; consumes the rate tokens of the rows chosen and moves the cursor.
     */
    private List<Row> dueWithDestination(ClaimRequest request, int slots) {
        List<Row> chosen = new ArrayList<>();
        if (slots <= 0) {
            return chosen;
        }
        Instant now = request.now();
        DestinationPolicy policy = request.destinations();
        List<QueueState> states = new ArrayList<>(2);
        for (QueueState state : List.of(QueueState.INCOMING, QueueState.DEFERRED)) {
            if (request.states().contains(state)) {
                states.add(state);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<String, Map<QueueState, NavigableSet<Row>>> entry : inRoundRobinOrder()) {
            if (candidates.size() >= slots) {
                break; // the first round alone fills the batch: the destinations after these get nothing this time
            }
            String destination = entry.getKey();
            DestinationStatus status = destinationStatuses.get(destination);
            if (status != null && status.pausedAt(now)) {
                continue;
            }
            DueRows due = new DueRows(entry.getValue(), states, now);
            if (due.peek() == null) {
                continue;
            }
            int allowance = slots;
            int runningNow = running(destination, now);
            int concurrency = policy.concurrencyOf(destination);
            if (concurrency > 0) {
                allowance = Math.min(allowance, concurrency - runningNow);
            }
            if (status != null && status.probingAt(now)) {
                allowance = Math.min(allowance, 1 - runningNow);
            }
            TokenBucket bucket = null;
            OptionalDouble rate = policy.rateOf(destination);
            if (rate.isPresent()) {
                bucket = refilledBucket(destination, rate.getAsDouble(), now);
                allowance = Math.min(allowance, bucket.whole());
            }
            if (allowance > 0) {
                candidates.add(new Candidate(destination, allowance, due, bucket));
            }
        }
        String last = null;
        List<Candidate> round = candidates;
        while (chosen.size() < slots && !round.isEmpty()) {
            List<Candidate> nextRound = new ArrayList<>(round.size());
            for (Candidate candidate : round) {
                if (chosen.size() == slots) {
                    break;
                }
                chosen.add(candidate.due.next());
                candidate.taken++;
                last = candidate.destination;
                if (candidate.taken < candidate.allowance && candidate.due.peek() != null) {
                    nextRound.add(candidate);
                }
            }
            round = nextRound;
        }
        for (Candidate candidate : candidates) {
            if (candidate.bucket != null) {
                candidate.bucket.tokens -= candidate.taken;
            }
        }
        if (last != null) {
            lastServed = last;
        }
        return chosen;
    }

    /** The destinations with waiting rows, by name, starting after {@link #lastServed} and wrapping around. */
    private List<Map.Entry<String, Map<QueueState, NavigableSet<Row>>>> inRoundRobinOrder() {
        List<Map.Entry<String, Map<QueueState, NavigableSet<Row>>>> order = new ArrayList<>(destinationIndex.size());
        if (lastServed == null) {
            order.addAll(destinationIndex.entrySet());
        } else {
            order.addAll(destinationIndex.tailMap(lastServed, false).entrySet());
            order.addAll(destinationIndex.headMap(lastServed, true).entrySet());
        }
        return order;
    }

    /** A destination's bucket, refilled for the time since its last refill; a new bucket is full. */
    private TokenBucket refilledBucket(String destination, double rate, Instant now) {
        double burst = DestinationPolicy.burstOf(rate);
        TokenBucket bucket = buckets.get(destination);
        if (bucket == null) {
            bucket = new TokenBucket(burst, now);
            buckets.put(destination, bucket);
        } else if (now.isAfter(bucket.refilled)) {
            Duration elapsed = Duration.between(bucket.refilled, now);
            double seconds = elapsed.getSeconds() + elapsed.getNano() / 1e9;
            bucket.tokens = Math.min(burst, bucket.tokens + seconds * rate);
            bucket.refilled = now;
        } else {
            bucket.tokens = Math.min(burst, bucket.tokens);
        }
        return bucket;
    }

    /** A destination that takes part in one claim: how many rows it may get, how many it got, and its due rows. */
    private static final class Candidate {
        private final String destination;
        private final int allowance;
        private final DueRows due;
        private final @Nullable TokenBucket bucket;
        private int taken;

        private Candidate(String destination, int allowance, DueRows due, @Nullable TokenBucket bucket) {
            this.destination = destination;
            this.allowance = allowance;
            this.due = due;
            this.bucket = bucket;
        }
    }

    /** A destination's rate limit: attempts it may start now, refilled at its rate up to its burst. */
    private static final class TokenBucket {
        private double tokens;
        private Instant refilled;

        private TokenBucket(double tokens, Instant refilled) {
            this.tokens = tokens;
            this.refilled = refilled;
        }

        /** The whole attempts the bucket allows (a hair of rounding error does not cost an attempt). */
        private int whole() {
            return (int) Math.max(0, Math.floor(tokens + 1e-9));
        }
    }

    /** The due rows of one destination across some states, read lazily by priority then next retry. */
    private static final class DueRows {
        private final List<DueCursor> cursors = new ArrayList<>(2);

        private DueRows(Map<QueueState, NavigableSet<Row>> byState, List<QueueState> states, Instant now) {
            for (QueueState state : states) {
                NavigableSet<Row> index = byState.get(state);
                if (index != null) {
                    cursors.add(new DueCursor(index, now));
                }
            }
        }

        /** The next due row, or null when there is none left. */
        private @Nullable Row peek() {
            DueCursor first = first();
            return first == null ? null : first.current;
        }

        /** Takes the next due row; there must be one. */
        private Row next() {
            DueCursor first = Objects.requireNonNull(first());
            Row row = Objects.requireNonNull(first.current);
            first.advance();
            return row;
        }

        private @Nullable DueCursor first() {
            DueCursor first = null;
            for (DueCursor cursor : cursors) {
                if (cursor.current != null && (first == null || DUE_ORDER.compare(cursor.current, first.current) < 0)) {
                    first = cursor;
                }
            }
            return first;
        }
    }

    /** Walks one index's due rows in order, skipping from a priority's first row not yet due to the next priority. */
    private static final class DueCursor {
        private final NavigableSet<Row> index;
        private final Instant now;
        private @Nullable Row current;

        private DueCursor(NavigableSet<Row> index, Instant now) {
            this.index = index;
            this.now = now;
            this.current = dueFrom(index.isEmpty() ? null : index.first());
        }

        private void advance() {
            current = dueFrom(index.higher(current));
        }

        private @Nullable Row dueFrom(@Nullable Row start) {
            Row cursor = start;
            while (cursor != null) {
                if (!cursor.metadata.nextRetry().isAfter(now)) {
                    return cursor;
                }
                if (cursor.metadata.priority() == MessageMetadata.MIN_PRIORITY) {
                    return null;
                }
                cursor = index.ceiling(Row.probe(cursor.metadata.priority() - 1));
            }
            return null;
        }
    }

    /** Collects up to {@code limit} due rows of one state: for each priority, the rows whose next retry has come. */
    private static void collectDue(NavigableSet<Row> index, Instant now, int limit, List<Row> into) {
        int taken = 0;
        Row cursor = index.isEmpty() ? null : index.first();
        while (cursor != null && taken < limit) {
            if (!cursor.metadata.nextRetry().isAfter(now)) {
                into.add(cursor);
                taken++;
                cursor = index.higher(cursor);
            } else if (cursor.metadata.priority() == MessageMetadata.MIN_PRIORITY) {
                break;
            } else {
                cursor = index.ceiling(Row.probe(cursor.metadata.priority() - 1));
            }
        }
    }

    @Override
    public Optional<Instant> oldestDue(Instant now) {
        lock.lock();
        try {
            Instant oldest = null;
            List<NavigableSet<Row>> indexes = new ArrayList<>();
            for (QueueState state : List.of(QueueState.INCOMING, QueueState.DEFERRED)) {
                indexes.add(dueIndex.get(state));
            }
            for (Map<QueueState, NavigableSet<Row>> byState : destinationIndex.values()) {
                indexes.addAll(byState.values());
            }
            for (NavigableSet<Row> index : indexes) {
                for (Row first = index.isEmpty() ? null : index.first(); first != null;
                     first = first.metadata.priority() == MessageMetadata.MIN_PRIORITY
                             ? null : index.ceiling(Row.probe(first.metadata.priority() - 1))) {
                    Instant due = first.metadata.nextRetry();
                    if (!due.isAfter(now) && (oldest == null || due.isBefore(oldest))) {
                        oldest = due;
                    }
                }
            }
            return Optional.ofNullable(oldest);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Claim claimById(String id, Set<QueueState> from, String owner, Instant now, Duration lease) {
        lock.lock();
        try {
            Row row = existing(id);
            if (!from.contains(row.metadata.state())) {
                throw new StateConflictException(id, row.metadata.state(),
                        "message " + id + " is " + row.metadata.state() + "; it can be claimed only from " + from);
            }
            requireMovable(row, row.metadata.state(), now, "not claimed");
            return takeLease(row, owner, now, lease);
        } finally {
            lock.unlock();
        }
    }

    private Claim takeLease(Row row, String owner, Instant now, Duration lease) {
        QueueState from = row.metadata.state();
        String token = UUID.randomUUID().toString();
        int attempts = row.metadata.attempts() + (from == QueueState.BOUNCE ? 0 : 1);
        replace(row, row.metadata.toBuilder().state(QueueState.ACTIVE).attempts(attempts).updated(now).build());
        String destination = from == QueueState.BOUNCE ? null : row.metadata.destination();
        setLease(row, new Lease(token, owner, now.plus(lease), from, destination));
        return row.claim();
    }

    /** Records or clears a row's lease, keeping the rows with a delivery lease per destination. */
    private void setLease(Row row, @Nullable Lease lease) {
        Lease before = row.lease;
        if (before != null && before.destination != null) {
            Set<Row> rows = Objects.requireNonNull(leased.get(before.destination));
            rows.remove(row);
            if (rows.isEmpty()) {
                leased.remove(before.destination);
            }
        }
        row.lease = lease;
        if (lease != null && lease.destination != null) {
            leased.computeIfAbsent(lease.destination, destination -> new HashSet<>()).add(row);
        }
    }

    /**
     * The attempts running on a destination at {@code now}: its delivery leases that have not expired (an expired
     * lease's worker stopped renewing it; a message an operator moved out of ACTIVE is not settled when it expires).
     */
    private int running(String destination, Instant now) {
        Set<Row> rows = leased.get(destination);
        if (rows == null) {
            return 0;
        }
        int live = 0;
        for (Row row : rows) {
            if (!Objects.requireNonNull(row.lease).until().isBefore(now)) {
                live++;
            }
        }
        return live;
    }

    @Override
    public Set<String> renewLeases(Collection<Claim> claims, Instant now, Duration lease) {
        Set<String> lost = new HashSet<>();
        lock.lock();
        try {
            for (Claim claim : claims) {
                Row row = rows.get(claim.id());
                if (row == null || row.lease == null || !row.lease.token.equals(claim.token())) {
                    lost.add(claim.id());
                } else {
                    row.lease = new Lease(row.lease.token, row.lease.owner, now.plus(lease), row.lease.claimedFrom,
                            row.lease.destination);
                }
            }
        } finally {
            lock.unlock();
        }
        return lost;
    }

    @Override
    public List<Claim> expiredLeases(Instant now, int limit) {
        lock.lock();
        try {
            return activeIds.stream().map(rows::get)
                    .filter(row -> row.lease != null && row.lease.until.isBefore(now))
                    .sorted(Comparator.comparing((Row row) -> Objects.requireNonNull(row.lease).until))
                    .limit(limit)
                    .map(Row::claim)
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<String> settleExpiredLeases(List<ClaimOutcome> outcomes, Instant now) {
        Set<String> stale = new HashSet<>();
        lock.lock();
        try {
            for (ClaimOutcome outcome : outcomes) {
                if (outcome.deletes()) {
                    throw new IllegalArgumentException("outcomes: an expired lease is settled by an update, not a"
                            + " deletion (" + outcome.id() + ")");
                }
                Row row = rows.get(outcome.id());
                Lease lease = row == null ? null : row.lease;
                if (row == null || lease == null || !holds(row, outcome) || !lease.until.isBefore(now)) {
                    stale.add(outcome.id());
                } else {
                    apply(row, Objects.requireNonNull(outcome.result()));
                }
            }
        } finally {
            lock.unlock();
        }
        return stale;
    }

    @Override
    public List<String> deleteArchived(Instant updatedBefore, int limit) {
        lock.lock();
        try {
            List<String> expired = rows.values().stream()
                    .filter(row -> row.metadata.state() == QueueState.ARCHIVED && row.metadata.updated().isBefore(updatedBefore))
                    .sorted(Comparator.comparing((Row row) -> row.metadata.updated()))
                    .limit(limit)
                    .map(row -> row.metadata.id())
                    .toList();
            expired.forEach(this::delete);
            return expired;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<String> complete(List<ClaimOutcome> outcomes) {
        Set<String> stale = new HashSet<>();
        lock.lock();
        try {
            for (ClaimOutcome outcome : outcomes) {
                Row row = rows.get(outcome.id());
                if (row == null || !holds(row, outcome)) {
                    stale.add(outcome.id());
                    if (row != null && row.lease != null && row.lease.token.equals(outcome.token())) {
                        setLease(row, null); // moved out of ACTIVE by an operator: the attempt has ended
                    }
                } else if (outcome.deletes()) {
                    delete(outcome.id());
                } else {
                    apply(row, Objects.requireNonNull(outcome.result()));
                }
            }
        } finally {
            lock.unlock();
        }
        return stale;
    }

    /** Whether the outcome's claim still holds the row: the row is ACTIVE under the outcome's token. */
    private static boolean holds(Row row, ClaimOutcome outcome) {
        return row != null && row.metadata.state() == QueueState.ACTIVE && row.lease != null
                && row.lease.token.equals(outcome.token());
    }

    private void apply(Row row, MessageMetadata result) {
        setLease(row, null);
        replace(row, row.metadata.toBuilder()
                .state(result.state()).attempts(result.attempts()).nextRetry(result.nextRetry())
                .lastError(result.lastError()).clearHeaders().headers(result.headers())
                .updated(result.updated()).archivedAs(result.archivedAs()).build());
    }

    private Row existing(String id) {
        Row row = rows.get(id);
        if (row == null) {
            throw new MessageNotFoundException("message " + id + " does not exist");
        }
        return row;
    }

    private void replace(Row row, MessageMetadata metadata) {
        unindex(row);
        row.metadata = metadata;
        index(row);
    }

    private void index(Row row) {
        MessageMetadata metadata = row.metadata;
        if (waitsForDestination(metadata)) {
            destinationIndex.computeIfAbsent(metadata.destination(), destination -> new EnumMap<>(QueueState.class))
                    .computeIfAbsent(metadata.state(), state -> new TreeSet<>(DUE_ORDER)).add(row);
        } else {
            NavigableSet<Row> index = dueIndex.get(metadata.state());
            if (index != null) {
                index.add(row);
            }
        }
        if (row.metadata.state() == QueueState.ACTIVE) {
            activeIds.add(row.metadata.id());
        }
        if (!row.delayWarned && WARNABLE.contains(row.metadata.state())) {
            unwarned.add(row);
        }
    }

    private void unindex(Row row) {
        MessageMetadata metadata = row.metadata;
        if (waitsForDestination(metadata)) {
            Map<QueueState, NavigableSet<Row>> byState = destinationIndex.get(metadata.destination());
            NavigableSet<Row> index = byState == null ? null : byState.get(metadata.state());
            if (byState != null && index != null && index.remove(row) && index.isEmpty()) {
                byState.remove(metadata.state());
                if (byState.isEmpty()) {
                    destinationIndex.remove(metadata.destination());
                }
            }
        } else {
            NavigableSet<Row> index = dueIndex.get(metadata.state());
            if (index != null) {
                index.remove(row);
            }
        }
        activeIds.remove(row.metadata.id());
        unwarned.remove(row);
    }

    @Override
    public BacklogShape backlog(Instant now, long exactLimit) {
        BacklogShape.Builder shape = BacklogShape.builder(now);
        lock.lock();
        try {
            for (Row row : rows.values()) {
                MessageMetadata metadata = row.metadata;
                if (BacklogShape.STATES.contains(metadata.state())) {
                    shape.add(metadata.state(), BacklogShape.bucketOf(Duration.between(metadata.created(), now)), 1);
                }
            }
        } finally {
            lock.unlock();
        }
        return shape.build();
    }

    private static final class Row {
        private MessageMetadata metadata;
        private final @Nullable String idempotencyKey;
        private @Nullable Lease lease;
        /** When the maximum lifetime started, if not at creation. */
        private @Nullable Instant lifetimeStart;
        /** Whether the message's delay warning was issued. */
        private boolean delayWarned;

        private Row(MessageMetadata metadata, @Nullable String idempotencyKey) {
            this.metadata = metadata;
            this.idempotencyKey = idempotencyKey;
        }

        /** The row's current claim; the row must be leased. */
        private Claim claim() {
            Lease held = Objects.requireNonNull(lease);
            return new Claim(metadata, held.claimedFrom, held.token, held.owner, held.until,
                    lifetimeStart != null ? lifetimeStart : metadata.created());
        }

        /** A key that sorts before every row of the given priority and after every row of higher ones. */
        private static Row probe(int priority) {
            return new Row(MessageMetadata.builder().id("\u0000").priority(priority)
                    .created(Instant.MIN).build(), null);
        }
    }

    /** Whether a row waits for delivery to a destination: it is indexed per destination, not in {@link #dueIndex}. */
    private static boolean waitsForDestination(MessageMetadata metadata) {
        return metadata.destination() != null
                && (metadata.state() == QueueState.INCOMING || metadata.state() == QueueState.DEFERRED);
    }

    /**
     * A recorded lease; {@code destination} is the destination whose running attempts it counts in: the message's as
     * it was claimed for a delivery, null for a run of the bounce handlers (not an attempt on the destination).
     */
    private record Lease(String token, String owner, Instant until, QueueState claimedFrom, @Nullable String destination) {
    }

    @Override
    public void recordActivity(String instanceId, Collection<ActivityMinute> counts) {
        lock.lock();
        try {
            for (ActivityMinute minute : counts) {
                activity.computeIfAbsent(minute.start(), start -> new HashMap<>())
                        .merge(instanceId, minute, ActivityMinute::plus);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ActivityMinute> activity(Instant since) {
        lock.lock();
        try {
            List<ActivityMinute> minutes = new ArrayList<>();
            activity.tailMap(since, true).forEach((start, byInstance) -> minutes.add(byInstance.values().stream()
                    .reduce(ActivityMinute.empty(start), ActivityMinute::plus)));
            return minutes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void pruneActivity(Instant before) {
        lock.lock();
        try {
            activity.headMap(before, false).clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Count countMatching(MessageSelection selection, long exactLimit) {
        lock.lock();
        try {
            return Count.exact(rows.values().stream().filter(row -> selection.matches(row.metadata)).count());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SelectionBatch moveMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, QueueState to,
                                       Instant updated, @Nullable Instant nextRetry) {
        lock.lock();
        try {
            List<Row> batch = window(selection, after, limit);
            List<String> moved = new ArrayList<>();
            for (Row row : batch) {
                if (selection.matches(row.metadata) && (row.lease == null || row.lease.until.isBefore(updated))) {
                    moveToState(row.metadata.id(), selection.state(), to, updated, nextRetry);
                    moved.add(row.metadata.id());
                }
            }
            return new SelectionBatch(moved, nextKey(batch, limit));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<MessageMetadata> claimDelayWarnings(Instant createdBefore, Instant now, int limit) {
        Arguments.requireNonNull("createdBefore", createdBefore);
        Arguments.requireNonNull("now", now);
        Arguments.requirePositive("limit", limit);
        lock.lock();
        try {
            List<MessageMetadata> warned = new ArrayList<>();
            for (Row row = unwarned.isEmpty() ? null : unwarned.first();
                 row != null && warned.size() < limit && !row.metadata.created().isAfter(createdBefore);
                 row = unwarned.higher(row)) {
                warned.add(row.metadata);
            }
            for (MessageMetadata metadata : warned) {
                Row row = rows.get(metadata.id());
                unwarned.remove(row);
                Objects.requireNonNull(row).delayWarned = true;
            }
            return warned;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public SelectionBatch deleteMatching(MessageSelection selection, @Nullable SelectionKey after, int limit) {
        lock.lock();
        try {
            List<Row> batch = window(selection, after, limit);
            List<String> deleted = batch.stream().filter(row -> selection.matches(row.metadata))
                    .map(row -> row.metadata.id()).toList();
            deleted.forEach(this::delete);
            return new SelectionBatch(deleted, nextKey(batch, limit));
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code limit} rows in the selection's range after {@code after}, in {@link SelectionKey#ORDER}. */
    private List<Row> window(MessageSelection selection, @Nullable SelectionKey after, int limit) {
        Comparator<Row> order = Comparator.comparing(row -> SelectionKey.of(row.metadata), SelectionKey.ORDER);
        return rows.values().stream()
                .filter(row -> selection.inRange(row.metadata))
                .filter(row -> after == null || SelectionKey.ORDER.compare(SelectionKey.of(row.metadata), after) > 0)
                .sorted(order)
                .limit(limit)
                .toList();
    }

    private static @Nullable SelectionKey nextKey(List<Row> batch, int limit) {
        return batch.size() < limit ? null : SelectionKey.of(batch.get(batch.size() - 1).metadata);
    }

    @Override
    public SelectionPage listMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, int maxExamined) {
        Arguments.requireNonNull("selection", selection);
        Arguments.requirePositive("limit", limit);
        Arguments.requirePositive("maxExamined", maxExamined);
        lock.lock();
        try {
            List<Row> examined = window(selection, after, maxExamined);
            List<MessageMetadata> matches = new ArrayList<>();
            for (Row row : examined) {
                if (selection.matches(row.metadata)) {
                    matches.add(row.metadata);
                    if (matches.size() == limit) {
                        return new SelectionPage(matches, SelectionKey.of(row.metadata));
                    }
                }
            }
            return new SelectionPage(matches, nextKey(examined, maxExamined));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void recordDestinationResults(List<DestinationResult> results, DestinationPolicy policy, Instant now) {
        Arguments.requireNonNull("results", results);
        Arguments.requireNonNull("policy", policy);
        Arguments.requireNonNull("now", now);
        for (int i = 0; i < results.size(); i++) {
            Arguments.requireNonNull("results[" + i + "]", results.get(i));
            Arguments.requireNonNull("results[" + i + "].destination", results.get(i).destination());
        }
        lock.lock();
        try {
            for (DestinationResult result : results) {
                String destination = result.destination();
                DestinationStatus before = destinationStatuses.get(destination);
                if (before == null && result.success()) {
                    continue; // a healthy destination stays healthy: nothing to write
                }
                DestinationStatus after = policy.after(before != null ? before : DestinationStatus.healthy(destination),
                        result.success(), now);
                if (after.failures() == 0 && !after.suspended()) {
                    destinationStatuses.remove(destination);
                } else {
                    destinationStatuses.put(destination, after);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DestinationStatus> suspendedDestinations() {
        lock.lock();
        try {
            return destinationStatuses.values().stream().filter(DestinationStatus::suspended)
                    .sorted(Comparator.comparing(DestinationStatus::name)).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean resumeDestination(String destination) {
        Arguments.requireNonNull("destination", destination);
        lock.lock();
        try {
            DestinationStatus before = destinationStatuses.remove(destination);
            return before != null && before.suspended();
        } finally {
            lock.unlock();
        }
    }
}
