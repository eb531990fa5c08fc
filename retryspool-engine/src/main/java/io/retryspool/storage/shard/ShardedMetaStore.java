package io.retryspool.storage.shard;

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
import io.retryspool.StorageException;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The metadata of a {@link ShardedStore}: an operation on one message goes to the shard its id names; claims take
 * from the reachable shards in turn; counts are summed; listings merge the shards' pages by the sort key; bulk
 * operations walk the shards one after the other. The claim loop, lease work and sweepers go on with the reachable
 * shards when one cannot be reached; operations that need every shard (counts, listings) fail naming it.
 *
 * <p><b>Destinations</b> are scheduled per shard: each shard's store applies the concurrency limits, rates and fairness
 * to its own messages. A destination's new messages all go to the shard it hashes to ({@link ShardPlacement}), so its
 * limits hold in all; only after the affinities change may its messages wait on two shards, each applying the limits.
 * Results and resumptions go to every reachable shard, so a destination is suspended and resumed on all of them alike.
 */
final class ShardedMetaStore implements MetaStore {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ShardedMetaStore.class);

    /** The order claims are returned in, as a single store returns them: highest priority, then earliest due. */
    private static final Comparator<Claim> DUE_ORDER = Comparator
            .comparingInt((Claim claim) -> -claim.metadata().priority())
            .thenComparing(claim -> claim.metadata().nextRetry())
            .thenComparing(Claim::id);
    /** The order of expired leases: the oldest lease first. */
    private static final Comparator<Claim> LEASE_ORDER = Comparator.comparing(Claim::leaseUntil).thenComparing(Claim::id);

    private final Shards shards;
    private final AtomicInteger nextClaimShard = new AtomicInteger();
    private final List<ShardSubscription> subscriptions = new CopyOnWriteArrayList<>();

    ShardedMetaStore(Shards shards) {
        this.shards = shards;
    }

    private static MetaStore meta(Shard shard) {
        return shard.store().meta();
    }

    private Shard existing(String id) {
        Shard shard = shards.of(id);
        if (shard == null) {
            throw new MessageNotFoundException("message " + id + " does not exist (its id names no shard of this spool)");
        }
        return shard;
    }

    @Override
    public List<StoreResult> storeAll(List<NewMessage> messages) {
        StoreResult[] results = new StoreResult[messages.size()];
        Shards.writeInTurn(shards.partsToWrite(messages), messages, results, (shard, group) -> {
            List<NewMessage> part = group.stream().map(messages::get).toList();
            List<StoreResult> stored = shards.call(shard, () -> meta(shard).storeAll(part));
            for (int k = 0; k < group.size(); k++) {
                results[group.get(k)] = stored.get(k);
            }
        });
        return List.of(results);
    }

    @Override
    public Optional<MessageMetadata> find(String id) {
        Shard shard = shards.of(id);
        return shard == null ? Optional.empty() : shards.call(shard, () -> meta(shard).find(id));
    }

    @Override
    public Set<String> existingIds(Collection<String> ids) {
        Set<String> existing = new HashSet<>();
        shards.byShard(ids, id -> id).forEach((shard, group) ->
                existing.addAll(shards.call(shard, () -> meta(shard).existingIds(group))));
        return existing;
    }

    @Override
    public MessageMetadata update(String id, UnaryOperator<MessageMetadata> change) {
        Shard shard = existing(id);
        return shards.call(shard, () -> meta(shard).update(id, change));
    }

    @Override
    public boolean delete(String id) {
        Shard shard = shards.of(id);
        return shard != null && shards.call(shard, () -> meta(shard).delete(id));
    }

    @Override
    public Page<Message> list(QueueState state, ListOptions options, long exactLimit) {
        return MergedListing.list(options, page -> shards.onAll(shard -> meta(shard).list(state, page, exactLimit)));
    }

    @Override
    public MessageMetadata moveToState(String id, QueueState from, QueueState to, Instant updated, @Nullable Instant nextRetry) {
        Shard shard = existing(id);
        return shards.call(shard, () -> meta(shard).moveToState(id, from, to, updated, nextRetry));
    }

    /**
     * Sums the shards' counts. An exact count ({@code exactLimit} {@link Long#MAX_VALUE}) needs every shard and fails
     * naming one that cannot be reached; a count that may be estimated sums the shards that answer, and while one does
     * not, every count is marked estimated (it is at least the sum given).
     */
    @Override
    public QueueCounts countByState(long exactLimit) {
        Counted<QueueCounts> counted = count(exactLimit, meta -> meta.countByState(exactLimit));
        Map<QueueState, Count> sums = new EnumMap<>(QueueState.class);
        for (QueueCounts counts : counted.results()) {
            counts.byState().forEach((state, count) -> sums.merge(state, count, Count::plus));
        }
        if (counted.partial()) {
            sums.replaceAll((state, count) -> Count.estimate(count.value()));
        }
        return new QueueCounts(sums);
    }

    @Override
    public Count countInState(QueueState state, long exactLimit) {
        return sum(count(exactLimit, meta -> meta.countInState(state, exactLimit)));
    }

    /** The counts of every shard, or, when the count may be estimated, of those that answer. */
    private <T> Counted<T> count(long exactLimit, Function<MetaStore, T> counting) {
        if (exactLimit == Long.MAX_VALUE) {
            return new Counted<>(shards.onAll(shard -> counting.apply(meta(shard))), false);
        }
        List<T> results = shards.onReachable(shard -> counting.apply(meta(shard)));
        return new Counted<>(results, results.size() < shards.all().size());
    }

    private static Count sum(Counted<Count> counted) {
        Count total = counted.results().stream().reduce(Count.ZERO, Count::plus);
        return counted.partial() ? Count.estimate(total.value()) : total;
    }

    /** Counts of the shards that answered; partial when some did not. */
    private record Counted<T>(List<T> results, boolean partial) {
    }

    /** Claims from the reachable shards in turn, starting with the next one each time, until the limit is reached. */
    @Override
    public List<Claim> claim(ClaimRequest request) {
        List<Shard> from = shards.reachable();
        if (from.isEmpty()) {
            from = shards.all();
        }
        int start = Math.floorMod(nextClaimShard.getAndIncrement(), from.size());
        List<Claim> claims = new ArrayList<>(request.limit());
        ShardAttempts attempts = new ShardAttempts();
        for (int i = 0; i < from.size() && claims.size() < request.limit(); i++) {
            Shard shard = from.get((start + i) % from.size());
            ClaimRequest remaining = new ClaimRequest(request.states(), request.now(),
                    request.limit() - claims.size(), request.owner(), request.lease(), request.destinations());
            attempts.attempt(() -> {
                claims.addAll(shards.call(shard, () -> meta(shard).claim(remaining)));
                subscriptions.forEach(subscription -> subscription.answered(shard));
            });
        }
        attempts.throwIfEveryAttemptFailed();
        claims.sort(DUE_ORDER);
        return claims;
    }

    @Override
    public Claim claimById(String id, Set<QueueState> from, String owner, Instant now, Duration lease) {
        Shard shard = existing(id);
        return shards.call(shard, () -> meta(shard).claimById(id, from, owner, now, lease));
    }

    /** Renews the leases shard by shard; a shard that cannot be reached keeps the others' leases from expiring. */
    @Override
    public Set<String> renewLeases(Collection<Claim> claims, Instant now, Duration lease) {
        Set<String> lost = new HashSet<>();
        StorageException first = null;
        for (Map.Entry<Shard, List<Claim>> group : shards.byShard(claims, Claim::id).entrySet()) {
            Shard shard = group.getKey();
            try {
                lost.addAll(shards.call(shard, () -> meta(shard).renewLeases(group.getValue(), now, lease)));
            } catch (StorageException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
        return lost;
    }

    @Override
    public List<Claim> expiredLeases(Instant now, int limit) {
        List<Claim> expired = new ArrayList<>();
        for (List<Claim> found : shards.onReachable(shard -> meta(shard).expiredLeases(now, limit))) {
            expired.addAll(found);
        }
        expired.sort(LEASE_ORDER);
        return expired.size() > limit ? expired.subList(0, limit) : expired;
    }

    /**
     * Settles the expired leases shard by shard; the claims of a shard that fails are returned as not written (they
     * are still expired, and found again once it answers), so that the others' are settled and reported meanwhile.
     * Fails only when every shard failed.
     */
    @Override
    public Set<String> settleExpiredLeases(List<ClaimOutcome> outcomes, Instant now) {
        Set<String> notWritten = new HashSet<>();
        ShardAttempts attempts = new ShardAttempts();
        shards.byShard(outcomes, ClaimOutcome::id).forEach((shard, group) -> {
            StorageException failure = attempts.attempt(() ->
                    notWritten.addAll(shards.call(shard, () -> meta(shard).settleExpiredLeases(group, now))));
            if (failure != null) {
                log.warn("Could not settle {} expired lease(s) on shard '{}'; they are settled once it answers: {}",
                        group.size(), shard.name(), failure.getMessage());
                group.forEach(outcome -> notWritten.add(outcome.id()));
            }
        });
        attempts.throwIfEveryAttemptFailed();
        return notWritten;
    }

    @Override
    public List<String> deleteArchived(Instant updatedBefore, int limit) {
        List<String> deleted = new ArrayList<>();
        for (List<String> ids : shards.onReachable(shard -> meta(shard).deleteArchived(updatedBefore, limit))) {
            deleted.addAll(ids);
        }
        return deleted;
    }

    @Override
    public Set<String> complete(List<ClaimOutcome> outcomes) {
        Set<String> stale = new HashSet<>();
        shards.byShard(outcomes, ClaimOutcome::id).forEach((shard, group) ->
                stale.addAll(shards.call(shard, () -> meta(shard).complete(group))));
        return stale;
    }

    @Override
    public Optional<Instant> oldestDue(Instant now) {
        return shards.onReachable(shard -> meta(shard).oldestDue(now)).stream()
                .flatMap(Optional::stream).min(Instant::compareTo);
    }

    /**
     * Subscribes on every shard that can be reached now, and on each other shard once a claim reaches it (until then
     * its messages are found by polling).
     */
    @Override
    public Subscription subscribeToClaimable(Runnable onClaimable) {
        ShardSubscription subscription = new ShardSubscription(shards, onClaimable);
        subscriptions.add(subscription);
        return () -> {
            subscriptions.remove(subscription);
            subscription.close();
        };
    }

    @Override
    public BacklogShape backlog(Instant now, long exactLimit) {
        BacklogShape.Builder sum = BacklogShape.builder(now);
        Counted<BacklogShape> counted = count(exactLimit, meta -> meta.backlog(now, exactLimit));
        for (BacklogShape shape : counted.results()) {
            for (QueueState state : BacklogShape.STATES) {
                for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
                    if (counted.partial() || shape.estimated(state, bucket)) {
                        sum.addEstimate(state, bucket, shape.count(state, bucket));
                    } else {
                        sum.add(state, bucket, shape.count(state, bucket));
                    }
                }
            }
        }
        return sum.build();
    }

    /** Records the minutes in the first reachable shard: each minute is read back from wherever it was written. */
    @Override
    public void recordActivity(String instanceId, Collection<ActivityMinute> counts) {
        List<Shard> reachable = shards.reachable();
        Shard target = reachable.isEmpty() ? shards.all().get(0) : reachable.get(0);
        shards.call(target, () -> {
            meta(target).recordActivity(instanceId, counts);
            return null;
        });
    }

    @Override
    public List<ActivityMinute> activity(Instant since) {
        Map<Instant, ActivityMinute> minutes = new TreeMap<>();
        for (List<ActivityMinute> found : shards.onReachable(shard -> meta(shard).activity(since))) {
            found.forEach(minute -> minutes.merge(minute.start(), minute, ActivityMinute::plus));
        }
        return List.copyOf(minutes.values());
    }

    @Override
    public void pruneActivity(Instant before) {
        shards.onReachable(shard -> {
            meta(shard).pruneActivity(before);
            return null;
        });
    }

    @Override
    public Count countMatching(MessageSelection selection, long exactLimit) {
        return sum(count(exactLimit, meta -> meta.countMatching(selection, exactLimit)));
    }

    @Override
    public SelectionBatch moveMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, QueueState to,
                                       Instant updated, @Nullable Instant nextRetry) {
        return ShardWalk.walk(shards, after, limit,
                (shard, from, room) -> meta(shard).moveMatching(selection, from, room, to, updated, nextRetry));
    }

    @Override
    public SelectionBatch deleteMatching(MessageSelection selection, @Nullable SelectionKey after, int limit) {
        return ShardWalk.walk(shards, after, limit, (shard, from, room) -> meta(shard).deleteMatching(selection, from, room));
    }

    /**
     * Claims from the reachable shards in turn, each up to the room the others left, so that at most {@code limit}
     * are returned (a caller that gets {@code limit} knows there may be more); sorted by creation time.
     */
    @Override
    public List<MessageMetadata> claimDelayWarnings(Instant createdBefore, Instant now, int limit) {
        List<MessageMetadata> claimed = new ArrayList<>();
        ShardAttempts attempts = new ShardAttempts();
        for (Shard shard : shards.reachable()) {
            int room = limit - claimed.size();
            if (room == 0) {
                break;
            }
            attempts.attempt(() ->
                    claimed.addAll(shards.call(shard, () -> meta(shard).claimDelayWarnings(createdBefore, now, room))));
        }
        attempts.throwIfEveryAttemptFailed();
        claimed.sort(Comparator.comparing(MessageMetadata::created).thenComparing(MessageMetadata::id));
        return claimed;
    }

    @Override
    public SelectionPage listMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, int maxExamined) {
        return MergedListing.mergeMatching(
                shards.onAll(shard -> meta(shard).listMatching(selection, after, limit, maxExamined)), limit);
    }
    /**
     * Records the results in every shard that can be reached: a destination's messages are on the shard it hashes to,
     * but may wait on another after the affinities changed, and each shard schedules its own. A shard that cannot be
     * reached is skipped with a log line; it keeps the status it had.
     */
    @Override
    public void recordDestinationResults(List<DestinationResult> results, DestinationPolicy policy, Instant now) {
        onEveryReachableShard("record " + results.size() + " destination result(s)", meta -> {
            meta.recordDestinationResults(results, policy, now);
            return null;
        });
    }

    /**
     * Merges the shards' suspended destinations by name: of the statuses of one name, the one with the most
     * suspensions, then the latest end of its pause.
     */
    @Override
    public List<DestinationStatus> suspendedDestinations() {
        Map<String, DestinationStatus> merged = new TreeMap<>();
        for (List<DestinationStatus> found : shards.onReachable(shard -> meta(shard).suspendedDestinations())) {
            for (DestinationStatus status : found) {
                merged.merge(status.name(), status, (a, b) -> SUSPENSION_ORDER.compare(a, b) >= 0 ? a : b);
            }
        }
        return List.copyOf(merged.values());
    }

    /** Resumes the destination on every shard that can be reached; true if it was suspended on any. */
    @Override
    public boolean resumeDestination(String destination) {
        return onEveryReachableShard("resume destination " + destination, meta -> meta.resumeDestination(destination))
                .contains(Boolean.TRUE);
    }

    /** The more severe of two statuses of one destination: more suspensions, then a later end of the pause. */
    private static final Comparator<DestinationStatus> SUSPENSION_ORDER = Comparator
            .comparingInt(DestinationStatus::suspensions)
            .thenComparing(DestinationStatus::suspendedUntil, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Runs work on every reachable shard, logging and skipping those that fail; the results of the others. */
    private <T> List<T> onEveryReachableShard(String what, Function<MetaStore, T> work) {
        List<T> results = new ArrayList<>();
        for (Shard shard : shards.reachable()) {
            try {
                results.add(shards.call(shard, () -> work.apply(meta(shard))));
            } catch (StorageException e) {
                log.warn("Could not {} on shard '{}', skipped: {}", what, shard.name(), e.getMessage());
            }
        }
        return results;
    }
}
