package io.retryspool.storage;

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

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Stores message metadata and hands out work. Every method is atomic and safe to call from many
 * threads (and, for shared databases, from many processes). Failures of the underlying store surface
 * as {@link io.retryspool.StorageException}.
 *
 * <p>Claims are leases: {@link #claim(ClaimRequest)} moves due messages to ACTIVE with an owner, a
 * lease deadline and a fresh token, counting a delivery attempt; {@link #renewLeases} extends leases while
 * handlers run; {@link #expiredLeases} finds the claims whose owner stopped renewing, and
 * {@link #settleExpiredLeases} writes what the engine decided for them (a failed attempt); {@link #complete(List)}
 * writes outcomes only where the token still matches and the message is still ACTIVE.
 *
 * <p><b>The lease clock.</b> Lease deadlines are set, extended and compared on the store's clock. A store on a
 * database server that many instances share uses the server's clock (PostgreSQL: {@code now()}), so instances
 * whose clocks disagree never take each other's live leases; the {@code now} arguments then only matter for
 * due times and update times. Other stores use the {@code now} they are given.
 */
public interface MetaStore {

    /**
     * Inserts one message, unless its idempotency key is already held by an existing message.
     *
     * @param message the message
     * @return the id holding the message and whether it was inserted now
     */
    default StoreResult store(NewMessage message) {
        return storeAll(List.of(message)).get(0);
    }

    /**
     * Inserts messages in one atomic step, in order; a key repeated within the batch resolves to the
     * first message that carries it.
     *
     * @param messages the messages
     * @return one result per message, in the same order
     */
    List<StoreResult> storeAll(List<NewMessage> messages);

    /**
     * Reads one message's metadata.
     *
     * @param id the message id
     * @return the metadata, or empty if there is no such message
     */
    Optional<MessageMetadata> find(String id);

    /**
     * Tells which of the given ids exist.
     *
     * @param ids message ids
     * @return the ids that have metadata
     */
    default Set<String> existingIds(Collection<String> ids) {
        Set<String> existing = new java.util.HashSet<>();
        for (String id : ids) {
            if (find(id).isPresent()) {
                existing.add(id);
            }
        }
        return existing;
    }

    /**
     * Atomically replaces a message's metadata by what {@code change} makes of it.
     *
     * @param id the message id
     * @param change computes the new metadata from the current; it may be called more than once
     * @return the stored metadata
     * @throws MessageNotFoundException if there is no such message
     */
    MessageMetadata update(String id, UnaryOperator<MessageMetadata> change);

    /**
     * Deletes a message's metadata.
     *
     * @param id the message id
     * @return true if it existed
     */
    boolean delete(String id);

    /**
     * Lists the messages of one state, a page at a time.
     *
     * @param state the state
     * @param options page size, start and order
     * @return the page, with the state's exact count as its total
     */
    default Page<Message> list(QueueState state, ListOptions options) {
        return list(state, options, Long.MAX_VALUE);
    }

    /**
     * Lists the messages of one state, a page at a time, with the state's count as {@link #countInState} gives it.
     *
     * @param state the state
     * @param options page size, start and order
     * @param exactLimit up to how many messages the total is exact; {@link Long#MAX_VALUE} for always
     * @return the page
     */
    Page<Message> list(QueueState state, ListOptions options, long exactLimit);

    /**
     * Moves a message from one state to another if, and only if, it is in {@code from}.
     *
     * <p>Leaving ACTIVE ends the worker's claim: its outcome will not be written. The lease stays recorded until
     * the worker's attempt ends (its discarded outcome clears it) or the lease expires, and as long as it does the
     * message cannot leave its new state ({@link StateConflictException}), so an operator's HOLD and a quick release
     * never start a second attempt while the first still runs. Moving into INCOMING (release, requeue) gives the
     * message a fresh budget: attempts start again at 0 and its maximum lifetime counts from {@code updated}. Every
     * move clears the archive reason ({@link MessageMetadata#archivedAs()}): only the spool's own outcomes archive a
     * message for a reason, so a requeued message is no longer delivered or bounced.
     *
     * @param id the message id
     * @param from the state the message must be in
     * @param to the new state
     * @param updated the update time to record (and the current time for stores without a clock of their own)
     * @param nextRetry the next retry time to record, or null to keep the stored one
     * @return the stored metadata
     * @throws MessageNotFoundException if there is no such message
     * @throws StateConflictException if the message is not in {@code from}, or an attempt on it still runs
     */
    MessageMetadata moveToState(String id, QueueState from, QueueState to, Instant updated, @Nullable Instant nextRetry);

    /**
     * Counts messages per state.
     *
     * @return a count for each of the six states, zeros included
     */
    default Map<QueueState, Long> countByState() {
        return countByState(Long.MAX_VALUE).values();
    }

    /**
     * Counts messages per state at a bounded cost: a state exactly while it holds at most {@code exactLimit}
     * messages, and beyond that as the store estimates it, reading about {@code exactLimit} of them; a store that
     * cannot estimate counts exactly.
     *
     * @param exactLimit at least 1; {@link Long#MAX_VALUE} for exact counts
     * @return a count for each of the six states, zeros included
     */
    QueueCounts countByState(long exactLimit);

    /**
     * Counts one state's messages as {@link #countByState(long)} counts each.
     *
     * @param state the state
     * @param exactLimit at least 1; {@link Long#MAX_VALUE} for an exact count
     * @return the count
     */
    Count countInState(QueueState state, long exactLimit);

    /**
     * Claims due messages: atomically moves up to {@code request.limit()} of them to ACTIVE under a lease.
     * No message is handed to two claimers.
     *
     * <p><b>Destinations.</b> Messages without a destination are claimed by priority, then next retry. Delivery
     * claims (from INCOMING or DEFERRED) of messages with a destination follow {@link ClaimRequest#destinations()},
     * across every client of the store:
     * <ul>
     * <li>at most {@link DestinationPolicy#concurrencyOf} messages of a destination have an attempt running at a time:
     * claimed, and neither completed nor settled as expired (a message an operator moved out of ACTIVE while its
     * attempt runs still counts);</li>
     * <li>a destination with a rate starts attempts at its rate, in bursts of at most
     * {@link DestinationPolicy#burstOf} (measured on the store's clock, see the lease clock above);</li>
     * <li>a destination that is {@linkplain DestinationStatus#pausedAt paused} at {@code request.now()} yields no
     * message, and one {@linkplain DestinationStatus#probingAt on probation} at most one at a time;</li>
     * <li>fairness: the batch is shared out evenly among the destinations that have due messages, in the order of
     * their names, starting after the last destination this client's previous claim served (round-robin), so a
     * destination with a million due messages takes no more of a batch than one with ten; a store may serve fewer
     * destinations per batch with a few messages each (the JDBC stores: up to 5 before they take more destinations),
     * as long as each destination's turn comes in that order; within a destination, by priority then next retry;</li>
     * <li>messages with and without a destination share the batch: neither kind waits for the other to run out.</li>
     * </ul>
     * Claims from BOUNCE (runs of the bounce handlers, not deliveries) are not limited by destination.
     *
     * @param request what to claim
     * @return the claims, by priority (highest first) then next retry (earliest first)
     */
    List<Claim> claim(ClaimRequest request);

    /**
     * Applies the results of finished delivery attempts to their destinations' statuses, in order, as
     * {@link DestinationPolicy#after} describes, atomically per destination (results reported by several clients at
     * once all count).
     *
     * @param results the results, in the order the attempts ended
     * @param policy the failure threshold and suspensions
     * @param now the time of the results: a suspension starts then
     */
    void recordDestinationResults(List<DestinationResult> results, DestinationPolicy policy, Instant now);

    /**
     * Lists the destinations that are suspended: paused, or on probation after their pause (until a success or
     * {@link #resumeDestination}).
     *
     * @return their statuses, by name
     */
    List<DestinationStatus> suspendedDestinations();

    /**
     * Resumes a suspended destination now, as a success would: its messages are claimed again, within its limits.
     *
     * @param destination the destination
     * @return true if it was suspended
     */
    boolean resumeDestination(String destination);

    /**
     * Claims one message by id, whether due or not, if it is in one of {@code from} and no attempt on it still
     * runs; counts a delivery attempt unless it is claimed from BOUNCE.
     *
     * @param id the message id
     * @param from the states it may be claimed from
     * @param owner the instance that will hold the lease
     * @param now the current time
     * @param lease how long the lease lasts unless renewed
     * @return the claim
     * @throws MessageNotFoundException if there is no such message
     * @throws StateConflictException if it is in none of {@code from}, or an attempt on it still runs
     */
    Claim claimById(String id, Set<QueueState> from, String owner, Instant now, Duration lease);

    /**
     * Extends the leases of claims that are still held, to {@code lease} from now. A claim whose message an
     * operator moved out of ACTIVE is still renewed (its attempt still runs, see {@link #moveToState}).
     *
     * @param claims the claims to renew
     * @param now the current time
     * @param lease the new lease length, from now
     * @return the ids of the claims that are no longer held (settled as expired, moved and released, or deleted)
     */
    Set<String> renewLeases(Collection<Claim> claims, Instant now, Duration lease);

    /**
     * Returns ACTIVE messages whose lease ended before now: their worker stopped renewing it (it died, or lost
     * its database), so their attempt failed. Reads only; {@link #settleExpiredLeases} writes the outcomes.
     *
     * @param now the current time (ignored by stores with a clock of their own)
     * @param limit the most claims to return
     * @return the expired claims, oldest lease first
     */
    List<Claim> expiredLeases(Instant now, int limit);

    /**
     * Writes the outcomes of expired claims found by {@link #expiredLeases}, each only where the claim token still
     * matches, the message is still ACTIVE and its lease is still expired (a renewal that came first wins).
     *
     * @param outcomes the outcomes (updates, never deletions)
     * @param now the current time (ignored by stores with a clock of their own)
     * @return the ids for which nothing was written
     */
    Set<String> settleExpiredLeases(List<ClaimOutcome> outcomes, Instant now);

    /**
     * Deletes up to {@code limit} ARCHIVED messages last updated before {@code updatedBefore} (the retention
     * sweep); their bodies are the caller's to delete.
     *
     * @param updatedBefore the cutoff
     * @param limit the most messages to delete in this call
     * @return the ids deleted
     */
    List<String> deleteArchived(Instant updatedBefore, int limit);

    /**
     * Writes outcomes of processed claims, each a compare-and-set on its claim token and on the message still being
     * ACTIVE; may write them all in one round trip. A message an operator moved out of ACTIVE meanwhile keeps its
     * new state, and its recorded lease is cleared (the attempt has ended).
     *
     * @param outcomes the outcomes
     * @return the ids whose claim was no longer held, for which nothing was written
     */
    Set<String> complete(List<ClaimOutcome> outcomes);

    /**
     * Returns the due time of the message that has waited longest for delivery: the earliest
     * {@code nextRetry} at or before {@code now} among INCOMING and DEFERRED messages. Its age tells whether
     * the spool keeps up.
     *
     * @param now the current time
     * @return the earliest due time, or empty when nothing is due
     */
    Optional<Instant> oldestDue(Instant now);

    /**
     * Asks to be told when messages become claimable through another client of the same store (another
     * process enqueued, released or requeued): a database that can push notifications calls
     * {@code onClaimable} soon after such a commit, so that workers need not wait for their next poll. The
     * default pushes nothing; polling alone finds the work.
     *
     * @param onClaimable called, from any thread, when claimable messages may have appeared
     * @return closing it ends the subscription
     */
    default Subscription subscribeToClaimable(Runnable onClaimable) {
        return () -> { };
    }

    /**
     * Counts the messages of the queue's states ({@link BacklogShape#STATES}: not ARCHIVED) by state and age bucket,
     * age being {@code now} minus {@code created} (see {@link BacklogShape} for the buckets and their bounds). One
     * read of the store; a database reads it through its index on {@code (state, created)}.
     *
     * @param now the time ages are measured at; the shape's {@link BacklogShape#takenAt()}
     * @return the shape
     */
    default BacklogShape backlog(Instant now) {
        return backlog(now, Long.MAX_VALUE);
    }

    /**
     * Takes the backlog shape at a bounded cost: a state holding more than {@code exactLimit} messages (as
     * {@link #countByState(long)} finds) has its buckets counted up to a share of the limit each and the fuller ones
     * estimated (see {@link BacklogShape}); a store that cannot estimate counts exactly.
     *
     * @param now the time ages are measured at
     * @param exactLimit at least 1; {@link Long#MAX_VALUE} for exact counts
     * @return the shape
     */
    BacklogShape backlog(Instant now, long exactLimit);

    /**
     * Adds one instance's counts to the minutes they belong to: each {@link ActivityMinute} is added to what that
     * instance already recorded for its minute, or recorded anew.
     *
     * @param instanceId the instance that counted
     * @param counts counts per minute, each minute at most once
     */
    void recordActivity(String instanceId, Collection<ActivityMinute> counts);

    /**
     * Sums what every instance recorded, per minute, from a minute on.
     *
     * @param since the first minute to read
     * @return the minutes with records, oldest first
     */
    List<ActivityMinute> activity(Instant since);

    /**
     * Deletes the records of the minutes before a time.
     *
     * @param before the first minute to keep
     */
    void pruneActivity(Instant before);

    /** An active {@link #subscribeToClaimable} subscription. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        /** Ends the subscription. */
        @Override
        void close();
    }

    /**
     * Counts the messages of a selection.
     *
     * @param selection the messages to count
     * @return how many there are now
     */
    default long countMatching(MessageSelection selection) {
        return countMatching(selection, Long.MAX_VALUE).value();
    }

    /**
     * Counts the messages of a selection at a bounded cost: it reads at most {@code exactLimit} messages of the
     * selection's state and age range, oldest first, and when more are in range estimates the matches as their share
     * among those read times the store's estimate of the range; a store that cannot estimate counts exactly.
     *
     * @param selection the messages to count
     * @param exactLimit at least 1; {@link Long#MAX_VALUE} for an exact count
     * @return how many there are now, exact or estimated
     */
    Count countMatching(MessageSelection selection, long exactLimit);

    /**
     * Moves one batch of a selection, in one transaction. The batch's window is up to {@code limit} messages in the
     * selection's state and age ({@link MessageSelection#inRange}) after {@code after}, in {@link SelectionKey#ORDER};
     * of those, the ones that meet the other criteria move as {@link #moveToState} moves them from the selection's
     * state (a compare-and-set: a message whose state changed meanwhile, that no longer matches, or on which an
     * attempt still runs is skipped, not an error; moving into INCOMING gives a fresh budget). Reading the window by
     * state and age alone keeps every batch's work bounded, however few messages match.
     *
     * @param selection the messages to move; its state is not ACTIVE
     * @param after where the window starts, or null for the beginning
     * @param limit the most messages in the window
     * @param to the new state: neither ACTIVE nor the selection's state
     * @param updated the update time to record (and the current time for stores without a clock of their own)
     * @param nextRetry the next retry time to record, or null to keep the stored ones
     * @return the ids moved and where the next batch starts
     */
    SelectionBatch moveMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, QueueState to,
                                Instant updated, @Nullable Instant nextRetry);

    /**
     * Deletes one batch of a selection, in one transaction (joining an active one): of the window that
     * {@link #moveMatching} describes, the messages still in the selection's state and matching every criterion.
     * Their bodies are the caller's to delete.
     *
     * @param selection the messages to delete; its state is not ACTIVE
     * @param after where the window starts, or null for the beginning
     * @param limit the most messages in the window
     * @return the ids deleted and where the next batch starts
     */
    SelectionBatch deleteMatching(MessageSelection selection, @Nullable SelectionKey after, int limit);

    /**
     * Records the delay warning of up to {@code limit} messages still undelivered (INCOMING, ACTIVE, DEFERRED or
     * HOLD) that were created at or before {@code createdBefore} and have not been warned about, and returns them,
     * oldest first. One atomic step: no message is ever returned twice, by this client or by any other client of
     * the same store, so a delay warning is issued once per message. Reads only messages not yet warned about.
     *
     * @param createdBefore the latest creation time that is overdue
     * @param now the time to record as the warning's
     * @param limit the most messages to return, at least 1
     * @return the messages now recorded as warned about, by creation time
     */
    List<MessageMetadata> claimDelayWarnings(Instant createdBefore, Instant now, int limit);

    /**
     * Reads one page of a selection for a listing, without changing anything. In {@link SelectionKey#ORDER}, the rows
     * of the selection's range ({@link MessageSelection#inRange}: its state and age) after {@code after} are examined
     * until {@code limit} of them met every criterion, {@code maxExamined} rows were examined, or the range ended,
     * whichever comes first. Examining at most {@code maxExamined} rows keeps a page's work bounded however few
     * messages match; a database walks its index on {@code (state, created, id)} for it, without a sort.
     *
     * @param selection the messages to list; any state, ACTIVE included
     * @param after where the read starts, or null for the beginning
     * @param limit the most matches to return, at least 1
     * @param maxExamined the most rows of the range to examine, at least 1
     * @return the matches and where the next read starts (see {@link SelectionPage#next()})
     */
    SelectionPage listMatching(MessageSelection selection, @Nullable SelectionKey after, int limit, int maxExamined);
}
