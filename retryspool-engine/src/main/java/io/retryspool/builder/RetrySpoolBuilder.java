package io.retryspool.builder;

import io.micrometer.observation.ObservationRegistry;
import io.retryspool.Count;
import io.retryspool.MessageFilter;
import io.retryspool.MessageMetadata;
import io.retryspool.RetrySpool;
import io.retryspool.SpoolListener;
import io.retryspool.StorageException;
import io.retryspool.codec.DataCodec;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetrySpoolListener;
import io.retryspool.handler.RetrySpoolListeners;
import io.retryspool.checks.Arguments;
import io.retryspool.internal.DefaultRetrySpool;
import io.retryspool.checks.InputLimits;
import io.retryspool.internal.SpoolSettings;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreTransactions;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import io.retryspool.storage.jdbc.JdbcTables;

import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RetrySpool}; {@link RetrySpool#builder()} returns one. Every setter checks its argument at once and
 * returns the builder. Where messages are kept is required ({@link #jdbc(DataSource)}, {@link #store(SpoolStore)}, or
 * {@link #metaStore}/{@link #dataStore}); everything else has a default.
 */
public final class RetrySpoolBuilder {

    /** Default maximum delivery attempts. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** Default maximum time in the spool. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(5);
    /** Default limit of exact counts: 100,000 messages, about 20 ms of an index-only scan on PostgreSQL. */
    public static final long DEFAULT_EXACT_COUNT_LIMIT = 100_000;
    /** Default handler threads. */
    public static final int DEFAULT_CONCURRENCY = 10;
    /** Default messages per claim. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** Default idle poll interval. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Default lease length. */
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofMinutes(5);
    /** Default wait for running handlers on close. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** Default longest delivery attempt. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofMinutes(5);
    /** Default time archived messages are kept. */
    public static final Duration DEFAULT_ARCHIVE_RETENTION = Duration.ofDays(7);
    /** Default delay warning: none. */
    public static final Duration DEFAULT_DELAY_WARNING = Duration.ZERO;
    /** The longest instance id. */
    public static final int LONGEST_INSTANCE_ID = 255;

    private @Nullable SpoolStore store;
    private @Nullable MetaStore metaStore;
    private @Nullable DataStore dataStore;
    private @Nullable StoreTransactions transactions;
    private @Nullable DataSource jdbcDataSource;
    private JdbcTables jdbcTables = JdbcTables.defaults();
    private boolean migrate = true;
    private final List<PendingShard> shards = new ArrayList<>();
    private final List<MessageHandler> handlers = new ArrayList<>();
    private final List<MessageHandler> bounceHandlers = new ArrayList<>();
    private RetrySpoolListeners typedListeners = new RetrySpoolListeners();
    private @Nullable JsonMapper jsonMapper;
    private RetryPolicy retryPolicy = ExponentialRetryPolicy.defaults();
    private final Map<String, RetryPolicy> namedRetryPolicies = new LinkedHashMap<>();
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
    private int defaultPriority = MessageMetadata.DEFAULT_PRIORITY;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration leaseTimeout = DEFAULT_LEASE_TIMEOUT;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
    private @Nullable String instanceId;
    private boolean archiveSuccess;
    private boolean archiveBounce;
    private Duration archiveRetention = DEFAULT_ARCHIVE_RETENTION;
    private final List<DataCodec> codecs = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private @Nullable ThreadFactory threadFactory;
    private final List<SpoolListener> listeners = new ArrayList<>();
    private Duration delayWarning = DEFAULT_DELAY_WARNING;
    private final List<DelayWarningHandler> delayWarningHandlers = new ArrayList<>();
    private long exactCountLimit = DEFAULT_EXACT_COUNT_LIMIT;
    private int destinationConcurrency = DestinationPolicy.DEFAULT_CONCURRENCY;
    private final Map<String, Integer> destinationConcurrencies = new LinkedHashMap<>();
    private final Map<String, Double> destinationRates = new LinkedHashMap<>();
    private int destinationFailureThreshold = DestinationPolicy.DEFAULT_FAILURE_THRESHOLD;
    private Duration destinationSuspend = DestinationPolicy.DEFAULT_SUSPEND;
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

    /**
     * A builder with the defaults; {@link RetrySpool#builder()} is the usual way to get one.
     *
     * @return a new builder
     */
    public static RetrySpoolBuilder create() {
        return new RetrySpoolBuilder();
    }

    private RetrySpoolBuilder() {
    }

    /**
     * Keeps messages in a store: metadata and bodies of one database, or stores of your own paired with
     * {@link SpoolStore#of(MetaStore, DataStore)}.
     *
     * @param store the store
     * @return this builder
     */
    public RetrySpoolBuilder store(SpoolStore store) {
        this.store = Arguments.requireNonNull("store", store);
        return this;
    }

    /**
     * Sets the metadata store, paired with the body store of {@link #dataStore}.
     *
     * @param metaStore the store
     * @return this builder
     */
    public RetrySpoolBuilder metaStore(MetaStore metaStore) {
        this.metaStore = Arguments.requireNonNull("metaStore", metaStore);
        return this;
    }

    /**
     * Sets the body store: paired with the metadata store of {@link #metaStore}, or, with {@link #jdbc(DataSource)},
     * keeping bodies out of the database (the file system, say).
     *
     * @param dataStore the store
     * @return this builder
     */
    public RetrySpoolBuilder dataStore(DataStore dataStore) {
        this.dataStore = Arguments.requireNonNull("dataStore", dataStore);
        return this;
    }

    /**
     * Sets how the writes of the stores set with {@link #metaStore}/{@link #dataStore} are grouped into transactions,
     * when they share a database (default: none).
     *
     * @param transactions the transactions
     * @return this builder
     */
    public RetrySpoolBuilder transactions(StoreTransactions transactions) {
        this.transactions = Arguments.requireNonNull("transactions", transactions);
        return this;
    }

    /**
     * Keeps metadata and bodies in a PostgreSQL (12+), MariaDB (10.6+), MySQL (8.0.1+) or SQLite (3.35+) database, in
     * the default tables {@code retryspool_messages} and {@code retryspool_data}, through {@link JdbcStore}. Creates or
     * upgrades the tables at {@link #build()} unless {@link #migrate(boolean) migrate(false)}. An enqueue then writes
     * body and metadata in one transaction and joins a Spring transaction active on the DataSource. With {@link
     * #dataStore} bodies go to that store instead.
     *
     * @param dataSource the database
     * @return this builder
     */
    public RetrySpoolBuilder jdbc(DataSource dataSource) {
        return jdbc(dataSource, JdbcTables.defaults());
    }

    /**
     * Like {@link #jdbc(DataSource)}, with other table names.
     *
     * @param dataSource the database
     * @param tables the table names
     * @return this builder
     */
    public RetrySpoolBuilder jdbc(DataSource dataSource, JdbcTables tables) {
        this.jdbcDataSource = Arguments.requireNonNull("dataSource", dataSource);
        this.jdbcTables = Arguments.requireNonNull("tables", tables);
        return this;
    }

    /**
     * Adds a shard: one more database (PostgreSQL 12+, MariaDB 10.6+, MySQL 8.0.1+ or SQLite 3.35+) holding a complete
     * store of its own, with its own migrations and claims, that new messages go to with weight {@code affinity}
     * (DESIGN §9). Repeat it for each database, instead of {@link #jdbc(DataSource)}. Every message id ends with its
     * shard's name ({@code 0193a1f2-….eu1}), so operations on one message go to one database; listings merge the shards
     * and counts sum them. Affinity 0 drains a shard: no new messages, the rest delivered. A shard that cannot be
     * reached takes no new messages until it answers again, while the others go on. Shards share no transaction, so
     * enqueues do not join a caller's transaction. A shard whose database does not answer when the spool is built
     * starts unreachable, and the spool starts with the others.
     *
     * @param name the shard's name: 1 to 20 characters of {@code a-z}, {@code 0-9}, {@code _} and {@code -}; it
     *             must not change while the shard holds messages
     * @param dataSource the shard's database
     * @param affinity the weight of new messages, 0 to 1000
     * @return this builder
     */
    public RetrySpoolBuilder shard(String name, DataSource dataSource, int affinity) {
        Arguments.requireNonNull("dataSource", dataSource);
        Shard.requireValid(name, affinity);
        addShard(name, () -> Shard.connecting(name, affinity,
                () -> JdbcStore.builder(dataSource).migrate(migrate).clock(clock).build()));
        return this;
    }

    /**
     * Adds a shard whose store is already built (see {@link #shard(String, DataSource, int)}).
     *
     * @param name the shard's name
     * @param store the shard's store
     * @param affinity the weight of new messages, 0 to 1000
     * @return this builder
     */
    public RetrySpoolBuilder shard(String name, SpoolStore store, int affinity) {
        Arguments.requireNonNull("store", store);
        Shard.requireValid(name, affinity);
        addShard(name, () -> new Shard(name, store, affinity));
        return this;
    }

    private void addShard(String name, Supplier<Shard> build) {
        if (shards.stream().anyMatch(shard -> shard.name().equals(name))) {
            throw new IllegalArgumentException("name: a shard named '" + name + "' was already added");
        }
        shards.add(new PendingShard(name, build));
    }

    /** A shard, built with the spool. */
    private record PendingShard(String name, Supplier<Shard> build) {
    }

    /**
     * Sets whether {@link #jdbc(DataSource)} applies RetrySpool's Flyway migrations at build time (default true);
     * turn it off when the DDL is applied by other means.
     *
     * @param migrate false to skip the migrations
     * @return this builder
     */
    public RetrySpoolBuilder migrate(boolean migrate) {
        this.migrate = migrate;
        return this;
    }

    /**
     * Adds a delivery handler; the first one whose {@code canHandle} accepts a message gets it.
     *
     * @param handler the handler
     * @return this builder
     */
    public RetrySpoolBuilder handler(MessageHandler handler) {
        handlers.add(Arguments.requireNonNull("handler", handler));
        return this;
    }

    /**
     * Adds a bounce handler, which receives messages that went to BOUNCE.
     *
     * @param handler the handler
     * @return this builder
     */
    public RetrySpoolBuilder bounceHandler(MessageHandler handler) {
        bounceHandlers.add(Arguments.requireNonNull("bounceHandler", handler));
        return this;
    }

    /**
     * Registers an object's {@link RetrySpoolListener} methods, which receive typed messages (see
     * {@link RetrySpool#send(Object)}). Typed messages go to their listener before any {@link MessageHandler} is
     * asked.
     *
     * @param bean the object whose listener methods are registered
     * @return this builder
     * @throws IllegalArgumentException naming the method if one cannot be mapped or a type and destination already
     *     has a listener
     */
    public RetrySpoolBuilder listener(Object bean) {
        typedListeners.add(Arguments.requireNonNull("listener", bean));
        return this;
    }

    /**
     * Uses a registry of listener methods that may still be filled after the spool is built (as the Spring Boot
     * starter does while the application's beans are created), instead of the builder's own. Replaces listeners
     * registered with {@link #listener(Object)} before.
     *
     * @param listeners the registry
     * @return this builder
     */
    public RetrySpoolBuilder listeners(RetrySpoolListeners listeners) {
        this.typedListeners = Arguments.requireNonNull("listeners", listeners);
        return this;
    }

    /**
     * Sets the JSON mapper that writes payloads and reads them for listener methods (default: a
     * {@code JsonMapper} with Jackson's defaults; in Spring Boot the application's).
     *
     * @param jsonMapper the mapper
     * @return this builder
     */
    public RetrySpoolBuilder jsonMapper(JsonMapper jsonMapper) {
        this.jsonMapper = Arguments.requireNonNull("jsonMapper", jsonMapper);
        return this;
    }

    /**
     * Sets the default retry policy (by default {@code ExponentialRetryPolicy.defaults()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public RetrySpoolBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Arguments.requireNonNull("retryPolicy", policy);
        return this;
    }

    /**
     * Adds a named retry policy that messages choose by name.
     *
     * @param name the name: not blank, at most 128 characters, without NUL
     * @param policy the policy
     * @return this builder
     */
    public RetrySpoolBuilder namedRetryPolicy(String name, RetryPolicy policy) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: must not be null or blank");
        }
        InputLimits.requireRetryPolicyName("name", name);
        namedRetryPolicies.put(name, Arguments.requireNonNull("policy", policy));
        return this;
    }

    /**
     * Sets the default maximum number of delivery attempts (default 10).
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public RetrySpoolBuilder maxAttempts(int maxAttempts) {
        this.maxAttempts = Arguments.requirePositive("maxAttempts", maxAttempts);
        return this;
    }

    /**
     * Sets how long a message may stay in the spool: a failure after this bounces it even if attempts remain
     * (default 5 days).
     *
     * @param maxLifetime a positive duration
     * @return this builder
     */
    public RetrySpoolBuilder maxLifetime(Duration maxLifetime) {
        this.maxLifetime = Arguments.requirePositive("maxLifetime", maxLifetime);
        return this;
    }

    /**
     * Sets the priority of messages that do not choose one (default 5).
     *
     * @param priority 0 to 100
     * @return this builder
     */
    public RetrySpoolBuilder defaultPriority(int priority) {
        this.defaultPriority = Arguments.requirePriority("defaultPriority", priority);
        return this;
    }

    /**
     * Sets how many handlers run at once (default 10).
     *
     * @param concurrency at least 1
     * @return this builder
     */
    public RetrySpoolBuilder concurrency(int concurrency) {
        this.concurrency = Arguments.requirePositive("concurrency", concurrency);
        return this;
    }

    /**
     * Sets how many messages one claim takes at most (default 100).
     *
     * @param batchSize at least 1
     * @return this builder
     */
    public RetrySpoolBuilder batchSize(int batchSize) {
        this.batchSize = Arguments.requirePositive("batchSize", batchSize);
        return this;
    }

    /**
     * Sets how often an idle spool looks for due messages (default 1s). Enqueues in this process wake the workers at
     * once.
     *
     * @param pollInterval a positive duration
     * @return this builder
     */
    public RetrySpoolBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = Arguments.requirePositive("pollInterval", pollInterval);
        return this;
    }

    /**
     * Sets how long a claim lasts without renewal (default 5m); leases of running handlers are renewed every third
     * of it.
     *
     * @param leaseTimeout a positive duration
     * @return this builder
     */
    public RetrySpoolBuilder leaseTimeout(Duration leaseTimeout) {
        this.leaseTimeout = Arguments.requirePositive("leaseTimeout", leaseTimeout);
        return this;
    }

    /**
     * Sets how long {@link RetrySpool#close()} waits for running handlers (default 30s).
     *
     * @param shutdownGrace zero or more
     * @return this builder
     */
    public RetrySpoolBuilder shutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = Arguments.requireNotNegative("shutdownGrace", shutdownGrace);
        return this;
    }

    /**
     * Sets the longest a delivery attempt may run (default 5m; {@link Duration#ZERO} for no limit). Past it the
     * handler is interrupted, the attempt counts as a retryable failure ("attempt timed out after ..."), the message
     * is deferred per its policy, and the instance starts another worker in its place, so a handler that ignores the
     * interrupt holds only its own thread.
     *
     * @param attemptTimeout zero or more
     * @return this builder
     */
    public RetrySpoolBuilder attemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = Arguments.requireNotNegative("attemptTimeout", attemptTimeout);
        return this;
    }

    /**
     * Sets how long ARCHIVED messages are kept, counted from their last update (default 7d; {@link Duration#ZERO}
     * keeps them for ever). Every instance deletes older ones, with their bodies, at least once a minute.
     *
     * @param archiveRetention zero or more
     * @return this builder
     */
    public RetrySpoolBuilder archiveRetention(Duration archiveRetention) {
        this.archiveRetention = Arguments.requireNotNegative("archiveRetention", archiveRetention);
        return this;
    }

    /**
     * Sets the name this instance holds leases under (default host name and process id).
     *
     * @param instanceId a non-blank name of at most {@value #LONGEST_INSTANCE_ID} characters (the width of the lease
     *                   owner and activity columns on MariaDB and MySQL)
     * @return this builder
     */
    public RetrySpoolBuilder instanceId(String instanceId) {
        Arguments.requireId("instanceId", instanceId);
        if (instanceId.length() > LONGEST_INSTANCE_ID) {
            throw new IllegalArgumentException("instanceId: must have at most " + LONGEST_INSTANCE_ID
                    + " characters, has " + instanceId.length());
        }
        this.instanceId = instanceId;
        return this;
    }

    /**
     * Sets whether delivered messages are kept as ARCHIVED instead of deleted (default false).
     *
     * @param archiveSuccess true to archive
     * @return this builder
     */
    public RetrySpoolBuilder archiveSuccess(boolean archiveSuccess) {
        this.archiveSuccess = archiveSuccess;
        return this;
    }

    /**
     * Sets whether bounced messages are kept as ARCHIVED after the bounce handlers ran (default false).
     *
     * @param archiveBounce true to archive
     * @return this builder
     */
    public RetrySpoolBuilder archiveBounce(boolean archiveBounce) {
        this.archiveBounce = archiveBounce;
        return this;
    }

    /**
     * Adds a body codec (compression, encryption); codecs apply in the order added when writing.
     *
     * @param codec the codec
     * @return this builder
     */
    public RetrySpoolBuilder codec(DataCodec codec) {
        codecs.add(Arguments.requireNonNull("codec", codec));
        return this;
    }

    /**
     * Sets the clock all decisions are taken by (default the UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public RetrySpoolBuilder clock(Clock clock) {
        this.clock = Arguments.requireNonNull("clock", clock);
        return this;
    }

    /**
     * Adds a listener to what the spool does (enqueues, outcomes, handler runs), e.g. for metrics.
     *
     * @param listener the listener
     * @return this builder
     */
    public RetrySpoolBuilder listener(SpoolListener listener) {
        listeners.add(Arguments.requireNonNull("listener", listener));
        return this;
    }

    /**
     * Observes the spool with Micrometer Observation (default {@link ObservationRegistry#NOOP}: not observed, at no
     * cost). Each enqueued message is a {@code retryspool.enqueue} observation whose trace context (with Micrometer
     * Tracing: the W3C headers {@code traceparent} and {@code tracestate}) is stored in the message's headers,
     * replacing a {@code traceparent} the caller set; each handler run is a {@code retryspool.delivery} observation that continues
     * it, so that with a tracer the enqueue and every attempt, on any instance, are spans of one trace. Names and key
     * values come from {@link io.retryspool.observation.DefaultEnqueueObservationConvention} and
     * {@link io.retryspool.observation.DefaultDeliveryObservationConvention} unless the registry has a convention of
     * its own for them.
     *
     * @param registry the registry
     * @return this builder
     */
    public RetrySpoolBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Arguments.requireNonNull("registry", registry);
        return this;
    }

    /**
     * Sets the factory for handler threads (default: platform daemon threads named {@code retryspool-worker-N});
     * pass a virtual-thread factory on Java 21+ for virtual workers.
     *
     * @param threadFactory the factory
     * @return this builder
     */
    public RetrySpoolBuilder threadFactory(ThreadFactory threadFactory) {
        this.threadFactory = Arguments.requireNonNull("threadFactory", threadFactory);
        return this;
    }

    /**
     * Sets how long after its creation a message still undelivered (INCOMING, ACTIVE, DEFERRED or HOLD) is reported
     * to the {@linkplain #delayWarningHandler delay warning handlers}, as Postfix's {@code delay_warning_time}
     * (default {@link Duration#ZERO}: never). Each message is reported once, across all instances sharing the store;
     * every running instance looks for such messages about once a minute.
     *
     * @param delayWarning zero (off) or more
     * @return this builder
     */
    public RetrySpoolBuilder delayWarning(Duration delayWarning) {
        this.delayWarning = Arguments.requireNotNegative("delayWarning", delayWarning);
        return this;
    }

    /**
     * Adds a handler that is told about delayed messages (see {@link #delayWarning(Duration)}); handlers are called
     * in the order added, and one that throws does not keep the others from being called.
     *
     * @param handler the handler
     * @return this builder
     */
    public RetrySpoolBuilder delayWarningHandler(DelayWarningHandler handler) {
        delayWarningHandlers.add(Arguments.requireNonNull("delayWarningHandler", handler));
        return this;
    }

    /**
     * Sets up to how many messages {@link RetrySpool#estimateCounts()}, {@link RetrySpool#estimateCount(MessageFilter)},
     * the totals of {@link RetrySpool#list} pages and {@link RetrySpool#backlog()} count exactly, per state (default
     * 100,000). Beyond it, a store that can estimate (PostgreSQL, from its planner's statistics) answers with an
     * estimate marked as one ({@link Count#estimated()}), so that a dashboard stays fast on a table of millions of
     * messages; SQLite and the in-memory store always count exactly.
     *
     * @param exactCountLimit at least 1
     * @return this builder
     */
    public RetrySpoolBuilder exactCountLimit(long exactCountLimit) {
        if (exactCountLimit < 1) {
            throw new IllegalArgumentException("exactCountLimit: must be at least 1, was " + exactCountLimit);
        }
        this.exactCountLimit = exactCountLimit;
        return this;
    }

    /**
     * Sets how many delivery attempts on the messages of one destination (see
     * {@link io.retryspool.EnqueueRequest.Builder#destination}) run at a time, across every instance that shares the
     * store, for destinations without a limit of their own (default {@value DestinationPolicy#DEFAULT_CONCURRENCY};
     * 0 for no limit). Messages without a destination are not limited. With shards, the limit holds per shard.
     *
     * @param concurrency 0 (no limit) or more
     * @return this builder
     */
    public RetrySpoolBuilder destinationConcurrency(int concurrency) {
        this.destinationConcurrency = requireDestinationConcurrency("destinationConcurrency", concurrency);
        return this;
    }

    /**
     * Sets how many delivery attempts on the messages of one named destination run at a time, across every instance
     * that shares the store, instead of {@link #destinationConcurrency(int)}.
     *
     * @param name the destination, as messages name it: not blank, at most 255 characters, without NUL
     * @param concurrency 0 (no limit) or more
     * @return this builder
     */
    public RetrySpoolBuilder destinationConcurrency(String name, int concurrency) {
        requireDestinationName("destinationConcurrency", name);
        destinationConcurrencies.put(name, requireDestinationConcurrency("destinationConcurrency of " + name,
                concurrency));
        return this;
    }

    /**
     * Limits how many delivery attempts on the messages of one named destination start per second, across every
     * instance that shares the store (default: no limit). Bursts of up to one second's worth of attempts (and at
     * least one) are allowed after a quiet spell; over time the rate holds on average.
     *
     * @param name the destination, as messages name it: not blank, at most 255 characters, without NUL
     * @param perSecond attempts per second, positive (0.5 is one attempt every two seconds)
     * @return this builder
     */
    public RetrySpoolBuilder destinationRate(String name, double perSecond) {
        requireDestinationName("destinationRate", name);
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("destinationRate of " + name + ": must be a positive, finite number of"
                    + " attempts per second, was " + perSecond);
        }
        destinationRates.put(name, perSecond);
        return this;
    }

    /**
     * Sets after how many failed delivery attempts in a row a destination is suspended (default
     * {@value DestinationPolicy#DEFAULT_FAILURE_THRESHOLD}). A retryable failure, an attempt that times out and a
     * lease that expires count as failures; a permanent failure says nothing about the destination and does not
     * count; a delivered message resets the count. A suspended destination's messages wait without spending
     * attempts for {@link #destinationSuspend(Duration)}; then one message at a time probes it: a success resumes it,
     * a failure suspends it again for twice as long, up to {@link DestinationPolicy#MAX_SUSPEND} (or the first
     * suspension if longer). {@link RetrySpool#resumeDestination} resumes one at once.
     *
     * @param failureThreshold at least 1
     * @return this builder
     */
    public RetrySpoolBuilder destinationFailureThreshold(int failureThreshold) {
        this.destinationFailureThreshold = Arguments.requirePositive("destinationFailureThreshold", failureThreshold);
        return this;
    }

    /**
     * Sets how long a destination's first suspension lasts (default 5m); see
     * {@link #destinationFailureThreshold(int)}.
     *
     * @param suspend a positive duration
     * @return this builder
     */
    public RetrySpoolBuilder destinationSuspend(Duration suspend) {
        this.destinationSuspend = Arguments.requirePositive("destinationSuspend", suspend);
        return this;
    }

    private static int requireDestinationConcurrency(String argument, int concurrency) {
        if (concurrency < 0) {
            throw new IllegalArgumentException(argument + ": must be 0 (no limit) or more, was " + concurrency);
        }
        return concurrency;
    }

    private static void requireDestinationName(String argument, String name) {
        if (name == null) {
            throw new IllegalArgumentException(argument + ": the destination's name must not be null");
        }
        InputLimits.requireDestination(argument, name);
    }

    /**
     * Builds the spool; the workers do not start until {@link RetrySpool#start()}.
     *
     * @return the spool
     * @throws IllegalStateException if where messages are kept is missing or given twice
     * @throws StorageException if the JDBC migrations fail or the database is not supported
     */
    public RetrySpool build() {
        return new DefaultRetrySpool(new SpoolSettings(spoolStore(), List.copyOf(handlers), List.copyOf(bounceHandlers),
                retryPolicy, Map.copyOf(namedRetryPolicies), maxAttempts, maxLifetime, defaultPriority,
                concurrency, batchSize, pollInterval, leaseTimeout, shutdownGrace, attemptTimeout,
                instanceId != null ? instanceId : defaultInstanceId(), archiveSuccess, archiveBounce, archiveRetention,
                List.copyOf(codecs), clock, threadFactory != null ? threadFactory : workerThreads(),
                List.copyOf(listeners), delayWarning, List.copyOf(delayWarningHandlers), exactCountLimit,
                destinationPolicy(), jsonMapper != null ? jsonMapper : JsonMapper.builder().build(), typedListeners,
                observationRegistry));
    }

    /** The destination policy a spool built now schedules by. */
    DestinationPolicy destinationPolicy() {
        return new DestinationPolicy(destinationConcurrency, destinationConcurrencies, destinationRates,
                destinationFailureThreshold, destinationSuspend);
    }

    private SpoolStore spoolStore() {
        if (!shards.isEmpty()) {
            if (store != null || jdbcDataSource != null || metaStore != null || dataStore != null || transactions != null) {
                throw new IllegalStateException("shard: given together with store(..), jdbc(..), metaStore(..), "
                        + "dataStore(..) or transactions(..); with shards, each shard is the whole store of its database");
            }
            List<Shard> built = new ArrayList<>(shards.size());
            for (PendingShard shard : shards) {
                built.add(shard.build().get());
            }
            return ShardedStore.of(built);
        }
        if (store != null) {
            if (jdbcDataSource != null || metaStore != null || dataStore != null || transactions != null) {
                throw new IllegalStateException("store: given together with jdbc(..), metaStore(..), dataStore(..) or "
                        + "transactions(..); a store already holds metadata and bodies, so give one or the others");
            }
            return store;
        }
        if (jdbcDataSource != null) {
            if (metaStore != null || transactions != null) {
                throw new IllegalStateException("jdbc: given together with metaStore(..) or transactions(..); jdbc(..) "
                        + "keeps metadata in the database, with its own transactions");
            }
            JdbcStore.Builder jdbc = JdbcStore.builder(jdbcDataSource).tables(jdbcTables).migrate(migrate).clock(clock);
            if (dataStore != null) {
                jdbc.bodies(dataStore);
            }
            return jdbc.build();
        }
        if (metaStore == null) {
            throw new IllegalStateException("metaStore: no metadata store configured; call jdbc(..), store(..) or "
                    + "metaStore(..)");
        }
        if (dataStore == null) {
            throw new IllegalStateException("dataStore: no body store configured; call jdbc(..), store(..) or "
                    + "dataStore(..)");
        }
        return SpoolStore.of(metaStore, dataStore, transactions != null ? transactions : StoreTransactions.NONE);
    }

    /** The default instance id: the host name and the process id, for example {@code app-7f9c-12345}. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static ThreadFactory workerThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "retryspool-worker-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
