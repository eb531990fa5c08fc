package io.retryspool.internal;

import io.retryspool.codec.DataCodec;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.StoreTransactions;
import io.retryspool.storage.jdbc.JdbcDataStore;
import io.retryspool.storage.jdbc.JdbcMetaStore;
import io.retryspool.storage.jdbc.JdbcStoreTransactions;
import io.retryspool.storage.jdbc.JdbcTables;
import io.retryspool.storage.jdbc.RetrySpoolSchema;

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
import javax.sql.DataSource;

/**
 * Everything a spool is configured with, checked and immutable.
 *
 * @param metaStore metadata store
 * @param dataStore body store (codecs not yet applied)
 * @param transactions groups meta and data writes where the stores share a database
 * @param handlers delivery handlers in order
 * @param bounceHandlers bounce handlers in order
 * @param retryPolicy default retry policy
 * @param namedRetryPolicies named retry policies
 * @param maxAttempts default maximum attempts
 * @param maxLifetime longest time in the spool before a failure bounces
 * @param defaultPriority priority of messages that choose none
 * @param concurrency handler threads
 * @param batchSize messages per claim
 * @param pollInterval idle poll interval
 * @param leaseTimeout lease length
 * @param shutdownGrace wait for running handlers on close
 * @param attemptTimeout the longest a delivery attempt may run; zero for no limit
 * @param instanceId lease owner name
 * @param archiveSuccess whether delivered messages are archived
 * @param archiveBounce whether bounced messages are archived after the bounce handlers
 * @param archiveRetention how long archived messages are kept; zero for ever
 * @param codecs body codecs
 * @param clock the clock
 * @param threadFactory factory of handler threads
 * @param listeners listeners to what the spool does
 * @param delayWarning how long after its creation an undelivered message is reported; zero for never
 * @param delayWarningHandlers the handlers delayed messages are reported to, in order
 * @param exactCountLimit up to how many messages per state (or per filtered count) are counted exactly; beyond it a
 *                        store that can estimate answers with an estimate
 */
public record SpoolSettings(
        MetaStore metaStore,
        DataStore dataStore,
        StoreTransactions transactions,
        List<MessageHandler> handlers,
        List<MessageHandler> bounceHandlers,
        RetryPolicy retryPolicy,
        Map<String, RetryPolicy> namedRetryPolicies,
        int maxAttempts,
        Duration maxLifetime,
        int defaultPriority,
        int concurrency,
        int batchSize,
        Duration pollInterval,
        Duration leaseTimeout,
        Duration shutdownGrace,
        Duration attemptTimeout,
        String instanceId,
        boolean archiveSuccess,
        boolean archiveBounce,
        Duration archiveRetention,
        List<DataCodec> codecs,
        Clock clock,
        ThreadFactory threadFactory,
        List<io.retryspool.SpoolListener> listeners,
        Duration delayWarning,
        List<DelayWarningHandler> delayWarningHandlers,
        long exactCountLimit) {

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

    /**
     * Returns a builder with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the default instance id: the host name and the process id.
     *
     * @return for example {@code app-7f9c-12345}
     */
    public static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** Collects and checks settings for {@link io.retryspool.RetrySpool.Builder}. */
    public static final class Builder {
        private MetaStore metaStore;
        private DataStore dataStore;
        private StoreTransactions transactions;
        private DataSource jdbcDataSource;
        private JdbcTables jdbcTables;
        private boolean migrate = true;
        private final List<MessageHandler> handlers = new ArrayList<>();
        private final List<MessageHandler> bounceHandlers = new ArrayList<>();
        private RetryPolicy retryPolicy = ExponentialRetryPolicy.defaults();
        private final Map<String, RetryPolicy> namedRetryPolicies = new LinkedHashMap<>();
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        private int defaultPriority = io.retryspool.MessageMetadata.DEFAULT_PRIORITY;
        private int concurrency = DEFAULT_CONCURRENCY;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration leaseTimeout = DEFAULT_LEASE_TIMEOUT;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private String instanceId;
        private boolean archiveSuccess;
        private boolean archiveBounce;
        private Duration archiveRetention = DEFAULT_ARCHIVE_RETENTION;
        private final List<DataCodec> codecs = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private ThreadFactory threadFactory;
        private final List<io.retryspool.SpoolListener> listeners = new ArrayList<>();
        private Duration delayWarning = DEFAULT_DELAY_WARNING;
        private final List<DelayWarningHandler> delayWarningHandlers = new ArrayList<>();
        private long exactCountLimit = DEFAULT_EXACT_COUNT_LIMIT;

        private Builder() {
        }

        public void metaStore(MetaStore metaStore) {
            this.metaStore = Arguments.requireNonNull("metaStore", metaStore);
        }

        public void dataStore(DataStore dataStore) {
            this.dataStore = Arguments.requireNonNull("dataStore", dataStore);
        }

        public void transactions(StoreTransactions transactions) {
            this.transactions = Arguments.requireNonNull("transactions", transactions);
        }

        public void jdbc(DataSource dataSource, JdbcTables tables) {
            this.jdbcDataSource = Arguments.requireNonNull("dataSource", dataSource);
            this.jdbcTables = Arguments.requireNonNull("tables", tables);
        }

        public void migrate(boolean migrate) {
            this.migrate = migrate;
        }

        public void handler(MessageHandler handler) {
            handlers.add(Arguments.requireNonNull("handler", handler));
        }

        public void bounceHandler(MessageHandler handler) {
            bounceHandlers.add(Arguments.requireNonNull("bounceHandler", handler));
        }

        public void retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Arguments.requireNonNull("retryPolicy", policy);
        }

        public void namedRetryPolicy(String name, RetryPolicy policy) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name: must not be null or blank");
            }
            InputLimits.requireRetryPolicyName("name", name);
            namedRetryPolicies.put(name, Arguments.requireNonNull("policy", policy));
        }

        public void maxAttempts(int maxAttempts) {
            this.maxAttempts = Arguments.requirePositive("maxAttempts", maxAttempts);
        }

        public void maxLifetime(Duration maxLifetime) {
            this.maxLifetime = Arguments.requirePositive("maxLifetime", maxLifetime);
        }

        public void defaultPriority(int priority) {
            this.defaultPriority = Arguments.requirePriority("defaultPriority", priority);
        }

        public void concurrency(int concurrency) {
            this.concurrency = Arguments.requirePositive("concurrency", concurrency);
        }

        public void batchSize(int batchSize) {
            this.batchSize = Arguments.requirePositive("batchSize", batchSize);
        }

        public void pollInterval(Duration pollInterval) {
            this.pollInterval = Arguments.requirePositive("pollInterval", pollInterval);
        }

        public void leaseTimeout(Duration leaseTimeout) {
            this.leaseTimeout = Arguments.requirePositive("leaseTimeout", leaseTimeout);
        }

        public void shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = Arguments.requireNotNegative("shutdownGrace", shutdownGrace);
        }

        public void attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = Arguments.requireNotNegative("attemptTimeout", attemptTimeout);
        }

        public void archiveRetention(Duration archiveRetention) {
            this.archiveRetention = Arguments.requireNotNegative("archiveRetention", archiveRetention);
        }

        public void instanceId(String instanceId) {
            this.instanceId = Arguments.requireId("instanceId", instanceId);
        }

        public void archiveSuccess(boolean archiveSuccess) {
            this.archiveSuccess = archiveSuccess;
        }

        public void archiveBounce(boolean archiveBounce) {
            this.archiveBounce = archiveBounce;
        }

        public void codec(DataCodec codec) {
            codecs.add(Arguments.requireNonNull("codec", codec));
        }

        public void clock(Clock clock) {
            this.clock = Arguments.requireNonNull("clock", clock);
        }

        public void listener(io.retryspool.SpoolListener listener) {
            listeners.add(Arguments.requireNonNull("listener", listener));
        }

        public void threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Arguments.requireNonNull("threadFactory", threadFactory);
        }

        public SpoolSettings build() {
            MetaStore meta = metaStore;
            DataStore data = dataStore;
            StoreTransactions tx = transactions;
            if (jdbcDataSource != null) {
                if (migrate) {
                    RetrySpoolSchema.migrate(jdbcDataSource, jdbcTables);
                }
                if (meta == null) {
                    meta = new JdbcMetaStore(jdbcDataSource, jdbcTables);
                }
                if (data == null) {
                    data = new JdbcDataStore(jdbcDataSource, jdbcTables, JdbcDataStore.DEFAULT_CHUNK_SIZE, clock);
                }
                if (tx == null && metaStore == null && dataStore == null) {
                    tx = new JdbcStoreTransactions(jdbcDataSource);
                }
            }
            if (meta == null) {
                throw new IllegalStateException("metaStore: no metadata store configured; call metaStore(..) or jdbc(..)");
            }
            if (data == null) {
                throw new IllegalStateException("dataStore: no body store configured; call dataStore(..) or jdbc(..)");
            }
            return new SpoolSettings(meta, data, tx != null ? tx : StoreTransactions.NONE,
                    List.copyOf(handlers), List.copyOf(bounceHandlers),
                    retryPolicy, Map.copyOf(namedRetryPolicies), maxAttempts, maxLifetime, defaultPriority,
                    concurrency, batchSize, pollInterval, leaseTimeout, shutdownGrace, attemptTimeout,
                    instanceId != null ? instanceId : defaultInstanceId(), archiveSuccess, archiveBounce,
                    archiveRetention,
                    List.copyOf(codecs), clock, threadFactory != null ? threadFactory : workerThreads(),
                    List.copyOf(listeners), delayWarning, List.copyOf(delayWarningHandlers), exactCountLimit);
        }

        public void exactCountLimit(long exactCountLimit) {
            if (exactCountLimit < 1) {
                throw new IllegalArgumentException("exactCountLimit: must be at least 1, was " + exactCountLimit);
            }
            this.exactCountLimit = exactCountLimit;
        }

        public void delayWarning(Duration delayWarning) {
            this.delayWarning = Arguments.requireNotNegative("delayWarning", delayWarning);
        }

        public void delayWarningHandler(DelayWarningHandler handler) {
            delayWarningHandlers.add(Arguments.requireNonNull("delayWarningHandler", handler));
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
}
