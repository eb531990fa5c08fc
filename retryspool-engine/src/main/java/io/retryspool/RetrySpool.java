package io.retryspool;

import io.retryspool.codec.DataCodec;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.internal.DefaultRetrySpool;
import io.retryspool.internal.SpoolSettings;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.StoreTransactions;
import io.retryspool.storage.jdbc.JdbcTables;

import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

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
     * Enqueues several messages in one step: either all are stored or none.
     *
     * @param requests the requests
     * @return the ids, in the order of the requests
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
     * archive reason, which only the spool sets when it archives a message.
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
     *         {@linkplain Builder#exactCountLimit exact-count limit}, an estimate beyond it ({@link Page#totalEstimated()})
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
     * <p>{@link Page#total()} is how many messages match now when the filter has no header and no error criterion
     * (a count through the index on state and creation time, an estimate beyond the
     * {@linkplain Builder#exactCountLimit exact-count limit}); with either, counting would read every message of the
     * state, and it is {@link Page#UNKNOWN_TOTAL}.
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
     * {@linkplain Builder#exactCountLimit exact-count limit}, and a state holding more as the store estimates it
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
    void setRetryPolicy(String id, String policyName);

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
     * {@linkplain Builder#exactCountLimit exact-count limit} has its fuller buckets estimated (see {@link BacklogShape}).
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
     * the {@linkplain Builder#exactCountLimit exact-count limit} of messages per state (of those old enough, with
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
     * Returns a builder for a spool.
     *
     * @return a builder with the defaults
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link RetrySpool}. Every setter checks its argument at once and returns the builder.
     * Stores are required; everything else has a default.
     */
    final class Builder {

        private final SpoolSettings.Builder settings = SpoolSettings.builder();

        private Builder() {
        }

        /**
         * Sets the metadata store.
         *
         * @param metaStore the store
         * @return this builder
         */
        public Builder metaStore(MetaStore metaStore) {
            settings.metaStore(metaStore);
            return this;
        }

        /**
         * Sets the body store.
         *
         * @param dataStore the store
         * @return this builder
         */
        public Builder dataStore(DataStore dataStore) {
            settings.dataStore(dataStore);
            return this;
        }

        /**
         * Keeps metadata and bodies in a PostgreSQL (12+) or SQLite (3.35+) database, in the default tables
         * {@code retryspool_messages} and {@code retryspool_data}. Creates or upgrades the tables at
         * {@link #build()} unless {@link #migrate(boolean) migrate(false)}. An enqueue then writes body and
         * metadata in one transaction and joins a Spring transaction active on the DataSource. A store set
         * explicitly with {@link #metaStore} or {@link #dataStore} takes precedence.
         *
         * @param dataSource the database
         * @return this builder
         */
        public Builder jdbc(DataSource dataSource) {
            return jdbc(dataSource, JdbcTables.defaults());
        }

        /**
         * Like {@link #jdbc(DataSource)}, with other table names.
         *
         * @param dataSource the database
         * @param tables the table names
         * @return this builder
         */
        public Builder jdbc(DataSource dataSource, JdbcTables tables) {
            settings.jdbc(dataSource, tables);
            return this;
        }

        /**
         * Sets whether {@link #jdbc(DataSource)} applies RetrySpool's Flyway migrations at build time
         * (default true); turn it off when the DDL is applied by other means.
         *
         * @param migrate false to skip the migrations
         * @return this builder
         */
        public Builder migrate(boolean migrate) {
            settings.migrate(migrate);
            return this;
        }

        /**
         * Sets how meta and data writes are grouped into transactions, for stores set with
         * {@link #metaStore}/{@link #dataStore} that share a database (default: none; {@link #jdbc} sets it).
         *
         * @param transactions the transactions
         * @return this builder
         */
        public Builder transactions(StoreTransactions transactions) {
            settings.transactions(transactions);
            return this;
        }

        /**
         * Adds a delivery handler; the first one whose {@code canHandle} accepts a message gets it.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder handler(MessageHandler handler) {
            settings.handler(handler);
            return this;
        }

        /**
         * Adds a bounce handler, which receives messages that went to BOUNCE.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder bounceHandler(MessageHandler handler) {
            settings.bounceHandler(handler);
            return this;
        }

        /**
         * Sets the default retry policy (by default {@code ExponentialRetryPolicy.defaults()}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            settings.retryPolicy(policy);
            return this;
        }

        /**
         * Adds a named retry policy that messages choose by name.
         *
         * @param name the name: not blank, at most 128 characters, without NUL
         * @param policy the policy
         * @return this builder
         */
        public Builder namedRetryPolicy(String name, RetryPolicy policy) {
            settings.namedRetryPolicy(name, policy);
            return this;
        }

        /**
         * Sets the default maximum number of delivery attempts (default 10).
         *
         * @param maxAttempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            settings.maxAttempts(maxAttempts);
            return this;
        }

        /**
         * Sets how long a message may stay in the spool: a failure after this bounces it even if attempts
         * remain (default 5 days).
         *
         * @param maxLifetime a positive duration
         * @return this builder
         */
        public Builder maxLifetime(Duration maxLifetime) {
            settings.maxLifetime(maxLifetime);
            return this;
        }

        /**
         * Sets the priority of messages that do not choose one (default 5).
         *
         * @param priority 0 to 100
         * @return this builder
         */
        public Builder defaultPriority(int priority) {
            settings.defaultPriority(priority);
            return this;
        }

        /**
         * Sets how many handlers run at once (default 10).
         *
         * @param concurrency at least 1
         * @return this builder
         */
        public Builder concurrency(int concurrency) {
            settings.concurrency(concurrency);
            return this;
        }

        /**
         * Sets how many messages one claim takes at most (default 100).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            settings.batchSize(batchSize);
            return this;
        }

        /**
         * Sets how often an idle spool looks for due messages (default 1s). Enqueues in this process
         * wake the workers at once.
         *
         * @param pollInterval a positive duration
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            settings.pollInterval(pollInterval);
            return this;
        }

        /**
         * Sets how long a claim lasts without renewal (default 5m); leases of running handlers are renewed
         * every third of it.
         *
         * @param leaseTimeout a positive duration
         * @return this builder
         */
        public Builder leaseTimeout(Duration leaseTimeout) {
            settings.leaseTimeout(leaseTimeout);
            return this;
        }

        /**
         * Sets how long {@link RetrySpool#close()} waits for running handlers (default 30s).
         *
         * @param shutdownGrace zero or more
         * @return this builder
         */
        public Builder shutdownGrace(Duration shutdownGrace) {
            settings.shutdownGrace(shutdownGrace);
            return this;
        }

        /**
         * Sets the longest a delivery attempt may run (default 5m; {@link Duration#ZERO} for no limit). Past it the
         * handler is interrupted, the attempt counts as a retryable failure ("attempt timed out after ..."), the
         * message is deferred per its policy, and the instance starts another worker in its place, so a handler
         * that ignores the interrupt holds only its own thread.
         *
         * @param attemptTimeout zero or more
         * @return this builder
         */
        public Builder attemptTimeout(Duration attemptTimeout) {
            settings.attemptTimeout(attemptTimeout);
            return this;
        }

        /**
         * Sets how long ARCHIVED messages are kept, counted from their last update (default 7d;
         * {@link Duration#ZERO} keeps them for ever). Every instance deletes older ones, with their bodies, at
         * least once a minute.
         *
         * @param archiveRetention zero or more
         * @return this builder
         */
        public Builder archiveRetention(Duration archiveRetention) {
            settings.archiveRetention(archiveRetention);
            return this;
        }

        /**
         * Sets the name this instance holds leases under (default host name and process id).
         *
         * @param instanceId a non-blank name
         * @return this builder
         */
        public Builder instanceId(String instanceId) {
            settings.instanceId(instanceId);
            return this;
        }

        /**
         * Sets whether delivered messages are kept as ARCHIVED instead of deleted (default false).
         *
         * @param archiveSuccess true to archive
         * @return this builder
         */
        public Builder archiveSuccess(boolean archiveSuccess) {
            settings.archiveSuccess(archiveSuccess);
            return this;
        }

        /**
         * Sets whether bounced messages are kept as ARCHIVED after the bounce handlers ran (default false).
         *
         * @param archiveBounce true to archive
         * @return this builder
         */
        public Builder archiveBounce(boolean archiveBounce) {
            settings.archiveBounce(archiveBounce);
            return this;
        }

        /**
         * Adds a body codec (compression, encryption); codecs apply in the order added when writing.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(DataCodec codec) {
            settings.codec(codec);
            return this;
        }

        /**
         * Sets the clock all decisions are taken by (default the UTC system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            settings.clock(clock);
            return this;
        }

        /**
         * Adds a listener to what the spool does (enqueues, outcomes, handler runs), e.g. for metrics.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(SpoolListener listener) {
            settings.listener(listener);
            return this;
        }

        /**
         * Sets the factory for handler threads (default: platform daemon threads named
         * {@code retryspool-worker-N}); pass a virtual-thread factory on Java 21+ for virtual workers.
         *
         * @param threadFactory the factory
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            settings.threadFactory(threadFactory);
            return this;
        }

        /**
         * Builds the spool; the workers do not start until {@link RetrySpool#start()}.
         *
         * @return the spool
         * @throws IllegalStateException if no meta store or no data store was set
         * @throws StorageException if the JDBC migrations fail or the database is not supported
         */
        public RetrySpool build() {
            return new DefaultRetrySpool(settings.build());
        }

        /**
         * Sets how long after its creation a message still undelivered (INCOMING, ACTIVE, DEFERRED or HOLD) is
         * reported to the {@linkplain #delayWarningHandler delay warning handlers}, as Postfix's
         * {@code delay_warning_time} (default {@link Duration#ZERO}: never). Each message is reported once, across
         * all instances sharing the store; every running instance looks for such messages about once a minute.
         *
         * @param delayWarning zero (off) or more
         * @return this builder
         */
        public Builder delayWarning(Duration delayWarning) {
            settings.delayWarning(delayWarning);
            return this;
        }

        /**
         * Adds a handler that is told about delayed messages (see {@link #delayWarning(Duration)}); handlers are
         * called in the order added, and one that throws does not keep the others from being called.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder delayWarningHandler(DelayWarningHandler handler) {
            settings.delayWarningHandler(handler);
            return this;
        }

        /**
         * Sets up to how many messages {@link #estimateCounts()}, {@link #estimateCount(MessageFilter)}, the totals of
         * {@link #list} pages and {@link #backlog()} count exactly, per state (default 100,000). Beyond it, a store
         * that can estimate (PostgreSQL, from its planner's statistics) answers with an estimate marked as one
         * ({@link Count#estimated()}), so that a dashboard stays fast on a table of millions of messages; SQLite and
         * the in-memory store always count exactly.
         *
         * @param exactCountLimit at least 1
         * @return this builder
         */
        public Builder exactCountLimit(long exactCountLimit) {
            settings.exactCountLimit(exactCountLimit);
            return this;
        }
    }
}
