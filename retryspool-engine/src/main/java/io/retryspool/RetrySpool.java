package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.handler.MessageHandler;

import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A durable message spool with retries. The application enqueues messages (headers and a body of any
 * size); the spool keeps them until a {@link MessageHandler} has delivered them, retrying failures with
 * backoff and bouncing messages that will never be delivered.
 *
 * <p>Build one with {@link #builder()}; {@link #start()} starts the workers. All methods are thread-safe.
 * After {@link #close()} every method throws {@link SpoolClosedException}. Bad arguments give an
 * {@link IllegalArgumentException} naming the argument, before anything is stored.
 */
public interface RetrySpool extends AutoCloseable {

    /** The header that chooses a named retry policy when the request names none. */
    String RETRY_POLICY_HEADER = "x-retry-policy";

    /**
     * How many messages {@link #list(MessageFilter, ListOptions)} examines at most per item of a page: a page of
     * {@code limit} items reads at most this many times {@code limit} messages of the state.
     */
    int LIST_EXAMINED_PER_ITEM = 50;

    /**
     * Enqueues a message.
     *
     * @param headers the headers, possibly empty
     * @param body the body, possibly empty
     * @return the new message's id
     */
    String enqueue(Map<String, String> headers, byte[] body);

    /**
     * Enqueues a message whose body is read from a stream to its end (the stream is not closed). The body
     * is streamed to the data store, never held whole in memory.
     *
     * @param headers the headers, possibly empty
     * @param body the body
     * @return the new message's id
     */
    String enqueue(Map<String, String> headers, InputStream body);

    /**
     * Enqueues a message with per-message settings.
     *
     * @param request the request
     * @return the new message's id, or the existing message's id when the request's idempotency key is held
     */
    String enqueue(EnqueueRequest request);

    /**
     * Enqueues a typed message: the payload is written as JSON with the spool's JSON mapper (in Spring Boot the
     * application's) and its type's logical name is stored in the {@value MessageTypes#TYPE_HEADER} header, where
     * a {@link io.retryspool.handler.RetrySpoolListener} method of that type receives it. For per-message settings
     * use {@link EnqueueRequest.Builder#payload(Object)}.
     *
     * @param payload the payload, an object the JSON mapper can write
     * @return the new message's id
     * @throws IllegalArgumentException naming {@code payload} if it is null, its type has no usable name
     *     ({@link MessageTypes#nameOf(Class)}) or it cannot be written as JSON
     */
    default String send(Object payload) {
        return enqueue(EnqueueRequest.builder().payload(payload).build());
    }

    /**
     * Enqueues several messages in one step: either all are stored or none. On a spool over several databases
     * (shards), that holds for the messages placed on one shard; messages placed apart by their destinations or
     * idempotency keys are stored shard by shard.
     *
     * @param requests the requests
     * @return the ids, in the order of the requests
     * @throws PartlyEnqueuedException if, on shards, one shard stored its part and another failed
     */
    List<String> enqueueAll(List<EnqueueRequest> requests);

    /**
     * Starts a streaming enqueue: write the body, set headers, commit.
     *
     * @return the transaction; abort or commit it
     */
    EnqueueTransaction beginEnqueue();

    /**
     * Reads a message's metadata.
     *
     * @param id the message id
     * @return the message
     * @throws MessageNotFoundException if there is no such message
     */
    Message getMessage(String id);

    /**
     * Reads a message's metadata if the message exists: as {@link #getMessage}, without an exception for a message
     * that was never enqueued or is gone (delivered and deleted, or deleted by an operator or the retention sweep).
     *
     * @param id the message id
     * @return the message, or empty if there is no such message
     * @throws IllegalArgumentException if {@code id} is not a valid message id
     */
    Optional<Message> findMessage(String id);

    /**
     * Opens a message's body; the caller closes it.
     *
     * @param id the message id
     * @return the body
     * @throws MessageNotFoundException if there is no such message
     */
    MessageBody openBody(String id);

    /**
     * Changes a message's metadata atomically. The change may alter headers, priority, max attempts,
     * next retry, retry policy and last error; id and state cannot change (use {@link #moveToState}), nor the
     * archive reason, which only the spool sets when it archives a message, nor the destination, fixed at enqueue.
     * Headers, retry policy, next retry and created that the change alters obey the input limits of
     * {@link EnqueueRequest}; a change that breaks one is an {@link IllegalArgumentException} starting with
     * {@code change} and stores nothing.
     *
     * @param id the message id
     * @param change computes the new metadata from the current
     * @throws MessageNotFoundException if there is no such message
     */
    void updateMetadata(String id, UnaryOperator<MessageMetadata> change);

    /**
     * Moves a message between states as one compare-and-set. Moving to INCOMING (release, requeue) makes
     * it due now with a fresh budget: its attempts start again at 0 and its maximum lifetime counts from now
     * ({@code created} keeps the original time). Moving to BOUNCE makes it due for the bounce handlers now.
     * ACTIVE is entered only by the spool's own claims. An ACTIVE message can only be put on HOLD: it is taken
     * from the worker processing it, whose outcome is then discarded, and it cannot leave HOLD (nor be
     * processed) until that attempt has ended, so a release never runs a second attempt beside the first.
     *
     * @param id the message id
     * @param from the state it must be in
     * @param to the state to move it to; not ACTIVE, and only HOLD when {@code from} is ACTIVE
     * @throws MessageNotFoundException if there is no such message
     * @throws StateConflictException if it is not in {@code from}, or an attempt on it still runs
     */
    void moveToState(String id, QueueState from, QueueState to);

    /**
     * Lists the messages of one state, a page at a time.
     *
     * @param state the state
     * @param options page size, start and order
     * @return the page, with the state's count as its total: exact up to the
     *         {@linkplain RetrySpoolBuilder#exactCountLimit exact-count limit}, an estimate beyond it ({@link Page#totalEstimated()})
     */
    Page<Message> list(QueueState state, ListOptions options);

    /**
     * Lists the messages of one state that match a filter, a page at a time, oldest first: in the order of
     * {@code created}, then id, which is the order of {@link #list(QueueState, ListOptions)} by
     * {@link SortField#CREATED} ascending, so either listing continues from the other's cursor. Pages follow each other
     * by cursor only ({@link ListOptions.Builder#after(String)}), never by offset.
     *
     * <p>A page's work is bounded however few messages match: it examines at most {@value #LIST_EXAMINED_PER_ITEM}
     * times {@link ListOptions#limit()} messages of the state (of those old enough, with
     * {@link MessageFilter#olderThan()}) after the cursor. When that many were examined before {@code limit} of them
     * matched, the page holds the matches found so far, with {@link Page#hasMore()} true and a
     * {@link Page#nextCursor()} after the last message examined, so that the next page goes on from there. A page may
     * therefore hold fewer than {@code limit} items, even none, while more follow: only {@code hasMore} false ends the
     * listing.
     *
     * <p>{@link Page#total()} is how many messages match now when the filter has no header, error or destination
     * criterion (a count through the index on state and creation time, an estimate beyond the
     * {@linkplain RetrySpoolBuilder#exactCountLimit exact-count limit}); with any of them, counting would read every
     * message of the state, and it is {@link Page#UNKNOWN_TOTAL}.
     *
     * @param filter the messages to list; it must name a state (any, ACTIVE included)
     * @param options the page size and the previous page's cursor; no offset, and the default order (CREATED
     *                ascending)
     * @return the page
     * @throws IllegalArgumentException if the filter names no state ("filter: ..."), the options give an offset or
     *         another order ("options: ..."), or the cursor is malformed or was made for another order ("after: ...")
     */
    Page<Message> list(MessageFilter filter, ListOptions options);

    /**
     * Counts the messages in one state.
     *
     * @param state the state
     * @return the count
     */
    long count(QueueState state);

    /**
     * Counts the messages in every state, exactly: reads every row of the store's index on state, which takes about
     * a second per ten million messages on PostgreSQL. Dashboards, health checks and gauges use
     * {@link #estimateCounts()} instead.
     *
     * @return all six states, zeros included
     */
    Map<QueueState, Long> counts();

    /**
     * Counts the messages in every state at a bounded cost: each state exactly up to the
     * {@linkplain RetrySpoolBuilder#exactCountLimit exact-count limit}, and a state holding more as the store estimates it
     * (PostgreSQL's planner statistics, as fresh as the table's last analyze; SQLite and the in-memory store count
     * exactly).
     *
     * @return all six states, each count exact or marked as an estimate
     */
    QueueCounts estimateCounts();

    /**
     * Returns the due time of the message that has waited longest for delivery (INCOMING or DEFERRED, due
     * now or earlier); now minus it is how far behind the spool is.
     *
     * @return the earliest due time, or empty when nothing is due
     */
    Optional<Instant> oldestDue();

    /**
     * Processes one message now, in the calling thread, with the given handler, whether it is due or not.
     * The message must be INCOMING, DEFERRED or HOLD; the outcome is recorded exactly as a worker would
     * (a failure defers or bounces it; it is not thrown).
     *
     * @param id the message id
     * @param handler the handler to deliver it with
     * @throws MessageNotFoundException if there is no such message
     * @throws StateConflictException if it is being processed or is in BOUNCE or ARCHIVED
     */
    void process(String id, MessageHandler handler);

    /**
     * Deletes a message, metadata and body. A worker processing it has its outcome discarded.
     *
     * @param id the message id
     * @throws MessageNotFoundException if there is no such message
     */
    void delete(String id);

    /**
     * Chooses a named retry policy for a message.
     *
     * @param id the message id
     * @param policyName the policy's name (at most 128 characters, without NUL), or null for the default policy
     * @throws MessageNotFoundException if there is no such message
     */
    void setRetryPolicy(String id, @Nullable String policyName);

    /**
     * Settles, now, every claim whose lease expired (its worker died or hung without renewing it) as a failed
     * attempt: the message is deferred per its retry policy, or bounced when its attempts or lifetime are used up.
     * Running spools do this every poll interval on their own.
     */
    void recover();

    /** Starts the workers. Does nothing if they run; works again after {@link #stop(Duration)}. */
    void start();

    /**
     * Stops the workers: no more claims, claimed messages not yet started go back, running handlers get
     * {@code grace} to finish and are then interrupted (an interrupted attempt is not counted).
     *
     * @param grace how long to wait for running handlers
     */
    void stop(Duration grace);

    /**
     * Tells whether the workers run.
     *
     * @return true between {@link #start()} and {@link #stop(Duration)}
     */
    boolean isRunning();

    /** Stops the workers with the configured shutdown grace and closes the spool. Idempotent. */
    @Override
    void close();

    /**
     * Returns what the spool did per minute, summed over every instance sharing the store: messages enqueued and
     * delivery attempts delivered, deferred and bounced. Each instance counts its own work in memory and adds it to
     * the store's records every 10 seconds while its workers run (and once more when they stop), so this instance's
     * work shows at once and the others' within about 10 seconds. Records are kept for two hours.
     *
     * @param window how far back, from 1 minute to 2 hours; whole minutes
     * @return one entry per minute, oldest first, the current (partial) minute last, zeros where nothing happened
     * @throws IllegalArgumentException if the window is shorter than a minute or longer than two hours
     */
    List<ActivityMinute> activity(Duration window);

    /**
     * Takes the shape of the backlog, as Postfix's {@code qshape} shows it: the messages of INCOMING, ACTIVE,
     * DEFERRED, HOLD and BOUNCE counted by state and by age since they were enqueued, in the buckets of
     * {@link BacklogShape} (5m, 10m, 20m, … 1280m, +Inf). ARCHIVED is not backlog and is left out. Read through the
     * store's index on state and creation time; a state holding more than the
     * {@linkplain RetrySpoolBuilder#exactCountLimit exact-count limit} has its fuller buckets estimated (see {@link BacklogShape}).
     *
     * @return the shape, with ages measured now by the spool's clock
     */
    BacklogShape backlog();

    /**
     * Counts the messages that match a filter now, in the state it names or, without one, in every state (ACTIVE
     * included, which the bulk verbs skip): the figure an operator checks before {@link #moveAll} or
     * {@link #deleteAll}.
     *
     * @param filter the messages to count
     * @return how many match
     */
    long count(MessageFilter filter);

    /**
     * Counts the messages that match a filter as {@link #count(MessageFilter)} does, at a bounded cost: it reads at most
     * the {@linkplain RetrySpoolBuilder#exactCountLimit exact-count limit} of messages per state (of those old enough, with
     * {@link MessageFilter#olderThan()}). When more are in range, a store that can estimate answers with the share of
     * matches among the messages read times its estimate of the range: an estimate that assumes the oldest messages
     * match as often as the others. The dry run of a bulk action on a dashboard.
     *
     * @param filter the messages to count
     * @return how many match, exact or marked as an estimate
     */
    Count estimateCount(MessageFilter filter);

    /**
     * Moves every message matching a filter to another state, as {@link #moveToState} would move each from the state
     * it is in: the same allowed moves, each a compare-and-set, a fresh budget and due at once on a move to INCOMING,
     * due at once on a move to BOUNCE. ACTIVE messages are never moved; without a state in the filter, every other
     * state except {@code to} is covered. A message whose state changed meanwhile (a worker claimed it, say), that
     * no longer matches, or on which an attempt still runs is skipped, not an error. Works in batches of a bounded
     * size, one transaction each, so the messages moved before a failure stay moved.
     *
     * @param filter the messages to move; its state, if any, must be neither ACTIVE nor {@code to}
     * @param to the new state, not ACTIVE
     * @return how many messages moved
     */
    long moveAll(MessageFilter filter, QueueState to);

    /**
     * Deletes every message matching a filter, with its body, as {@link #delete} would, except ACTIVE messages;
     * without a state in the filter, every other state is covered. A message whose state changed meanwhile, or that
     * no longer matches, is skipped. Works in batches of a bounded size, one transaction each.
     *
     * @param filter the messages to delete; its state, if any, must not be ACTIVE
     * @return how many messages were deleted
     */
    long deleteAll(MessageFilter filter);

    /**
     * Lists the destinations that are suspended after failing {@code failure-threshold} times in a row: paused (their
     * messages wait and spend no attempt), or on probation after the pause (one probe at a time) until an attempt
     * succeeds or {@link #resumeDestination} resumes them.
     *
     * @return their statuses, by name
     */
    List<DestinationStatus> suspendedDestinations();

    /**
     * Resumes a suspended destination before its pause ends: its messages are attempted again at once, within its
     * limits, and its failures in a row start again from zero.
     *
     * @param destination the destination's name
     * @return true if it was suspended, false if there was nothing to resume
     */
    boolean resumeDestination(String destination);

    /**
     * Returns a builder for a spool.
     *
     * @return a builder with the defaults
     */
    static RetrySpoolBuilder builder() {
        return RetrySpoolBuilder.create();
    }
}
