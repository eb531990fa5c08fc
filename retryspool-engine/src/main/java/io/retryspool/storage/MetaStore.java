package io.retryspool.storage;

import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.MessageNotFoundException;
import io.retryspool.Page;
import io.retryspool.QueueState;
import io.retryspool.StateConflictException;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Stores message metadata and hands out work. Every method is atomic and safe to call from many
 * threads (and, for shared databases, from many processes). Failures of the underlying store surface
 * as {@link io.retryspool.StorageException}.
 *
 * <p>Claims are leases: {@link #claim(ClaimRequest)} moves due messages to ACTIVE with an owner, a
 * lease deadline and a fresh token; {@link #renewLeases} extends leases while handlers run;
 * {@link #releaseExpiredLeases} returns messages whose owner stopped renewing to the state they were
 * claimed from; {@link #complete(List)} writes outcomes only where the token still matches.
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
     * Stores messages together with their bodies, given whole in memory: the way enqueues of small bodies
     * travel. Must be atomic: all or nothing. The default writes, in one {@code transactions} transaction, each
     * body to {@code dataStore}, then the metadata with {@link #storeAll}, and removes the body of a message that
     * was not inserted (its idempotency key is held). Stores that can write both in fewer round trips override it.
     *
     * @param messages the messages
     * @param bodies their bodies, in the same order
     * @param dataStore where bodies go
     * @param transactions the transactions the meta and data stores share (or {@link StoreTransactions#NONE})
     * @return one result per message, in the same order
     */
    default List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> bodies, DataStore dataStore,
                                                 StoreTransactions transactions) {
        return transactions.inTransaction(() -> {
            for (int i = 0; i < messages.size(); i++) {
                dataStore.store(messages.get(i).metadata().id(), new java.io.ByteArrayInputStream(bodies.get(i)));
            }
            List<StoreResult> results = storeAll(messages);
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).created()) {
                    dataStore.delete(messages.get(i).metadata().id());
                }
            }
            return results;
        });
    }

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
     * @return the page
     */
    Page<Message> list(QueueState state, ListOptions options);

    /**
     * Moves a message from one state to another if, and only if, it is in {@code from}. Leaving ACTIVE
     * drops the lease, so the worker that held it cannot write its outcome any more.
     *
     * @param id the message id
     * @param from the state the message must be in
     * @param to the new state
     * @param updated the update time to record
     * @param nextRetry the next retry time to record, or null to keep the stored one
     * @return the stored metadata
     * @throws MessageNotFoundException if there is no such message
     * @throws StateConflictException if the message is not in {@code from}
     */
    MessageMetadata moveToState(String id, QueueState from, QueueState to, Instant updated, Instant nextRetry);

    /**
     * Counts messages per state.
     *
     * @return a count for each of the six states, zeros included
     */
    Map<QueueState, Long> countByState();

    /**
     * Claims due messages: atomically moves up to {@code request.limit()} of them to ACTIVE under a lease.
     * No message is handed to two claimers.
     *
     * @param request what to claim
     * @return the claims, by priority (highest first) then next retry (earliest first)
     */
    List<Claim> claim(ClaimRequest request);

    /**
     * Claims one message by id, whether due or not, if it is in one of {@code from}.
     *
     * @param id the message id
     * @param from the states it may be claimed from
     * @param owner the instance that will hold the lease
     * @param now the current time
     * @param leaseUntil when the lease expires
     * @return the claim
     * @throws MessageNotFoundException if there is no such message
     * @throws StateConflictException if it is in none of {@code from}
     */
    Claim claimById(String id, Set<QueueState> from, String owner, Instant now, Instant leaseUntil);

    /**
     * Extends the leases of claims that are still held.
     *
     * @param claims the claims to renew
     * @param leaseUntil the new deadline
     * @return the ids of the claims that are no longer held (expired and reclaimed, moved or deleted)
     */
    Set<String> renewLeases(Collection<Claim> claims, Instant leaseUntil);

    /**
     * Returns every ACTIVE message whose lease deadline is before {@code now} to the state it was
     * claimed from, without counting an attempt.
     *
     * @param now the current time
     * @return how many messages were returned
     */
    int releaseExpiredLeases(Instant now);

    /**
     * Writes outcomes of processed claims, each a compare-and-set on its claim token; may write them
     * all in one round trip.
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
     * Writes outcomes like {@link #complete(List)} and deletes the bodies of the messages it deleted, atomically
     * where the stores share a database. The default does both in one {@code transactions} transaction; stores
     * that can do it in fewer round trips override it.
     *
     * @param outcomes the outcomes
     * @param dataStore where the bodies are
     * @param transactions the transactions the meta and data stores share (or {@link StoreTransactions#NONE})
     * @return the ids whose claim was no longer held, for which nothing was written
     */
    default Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes, DataStore dataStore,
                                               StoreTransactions transactions) {
        return transactions.inTransaction(() -> {
            Set<String> stale = complete(outcomes);
            List<String> deleted = new java.util.ArrayList<>();
            for (ClaimOutcome outcome : outcomes) {
                if (outcome.deletes() && !stale.contains(outcome.id())) {
                    deleted.add(outcome.id());
                }
            }
            if (!deleted.isEmpty()) {
                dataStore.deleteAll(deleted);
            }
            return stale;
        });
    }

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

    /** An active {@link #subscribeToClaimable} subscription. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        /** Ends the subscription. */
        @Override
        void close();
    }
}
