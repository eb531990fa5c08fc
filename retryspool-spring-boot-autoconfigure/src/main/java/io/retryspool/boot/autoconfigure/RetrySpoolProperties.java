package io.retryspool.boot.autoconfigure;

import io.retryspool.checks.InputLimits;
import io.retryspool.codec.Compression;
import io.retryspool.codec.EncryptionAlgorithm;
import io.retryspool.codec.EncryptionKeys;
import io.retryspool.storage.jdbc.JdbcTables;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of RetrySpool, bound from {@code retryspool.*}. Validates itself, so an invalid value stops
 * start-up with a message that names the property, with or without a Bean Validation provider.
 */
@ConfigurationProperties("retryspool")
public class RetrySpoolProperties implements Validator {

    /**
     * Whether to enable RetrySpool's auto-configuration.
     */
    private boolean enabled = true;

    /**
     * Whether to start the workers with the application context.
     */
    private boolean autoStart = true;

    /**
     * Name this instance holds leases under. Defaults to the host name and process id.
     */
    private @Nullable String instanceId;

    /**
     * Delivery attempts a message may have before it bounces.
     */
    private int maxAttempts = 10;

    /**
     * Priority of messages that do not choose one, 0 to 100 (higher is delivered first).
     */
    private int defaultPriority = 5;

    /**
     * Where messages are stored: jdbc (a database) or memory (lost when the application stops).
     */
    private StoreType store = StoreType.JDBC;

    /**
     * How long after it was enqueued a message still undelivered (incoming, active, deferred or on hold) is reported,
     * once, to the DelayWarningHandler beans, as Postfix's delay_warning_time. 0 switches delay warnings off.
     */
    private Duration delayWarning = Duration.ZERO;

    /**
     * Up to how many messages per state the counts of the endpoint, the dashboard, the health check and the gauges
     * (and the totals of listings, the backlog shape and bulk dry runs) are exact. Beyond it, PostgreSQL answers with
     * its planner's estimate, shown as "≈", so that they stay fast on tables of millions of messages; SQLite, MariaDB
     * and MySQL count exactly.
     */
    private long exactCountLimit = 100_000;

    private final Worker worker = new Worker();

    private final Retry retry = new Retry();

    private final Archive archive = new Archive();

    private final Datasource datasource = new Datasource();

    /**
     * Shards: several databases, each a complete store, that new messages are spread over by affinity (by shard name;
     * the name ends every id of the shard's messages). When set, RetrySpool uses them instead of any other database.
     */
    private final Map<String, Shard> shards = new LinkedHashMap<>();

    private final Destinations destinations = new Destinations();

    private final Sqlite sqlite = new Sqlite();

    private final Jdbc jdbc = new Jdbc();

    private final Data data = new Data();

    private final Flyway flyway = new Flyway();

    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isAutoStart() {
        return autoStart;
    }

    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    public @Nullable String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(@Nullable String instanceId) {
        this.instanceId = instanceId;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public int getDefaultPriority() {
        return defaultPriority;
    }

    public void setDefaultPriority(int defaultPriority) {
        this.defaultPriority = defaultPriority;
    }

    public StoreType getStore() {
        return store;
    }

    public void setStore(StoreType store) {
        this.store = store;
    }

    public Worker getWorker() {
        return worker;
    }

    public Retry getRetry() {
        return retry;
    }

    public Archive getArchive() {
        return archive;
    }

    public Datasource getDatasource() {
        return datasource;
    }

    public Map<String, Shard> getShards() {
        return shards;
    }

    public Destinations getDestinations() {
        return destinations;
    }

    public Sqlite getSqlite() {
        return sqlite;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Data getData() {
        return data;
    }

    public Flyway getFlyway() {
        return flyway;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Duration getDelayWarning() {
        return delayWarning;
    }

    public void setDelayWarning(Duration delayWarning) {
        this.delayWarning = delayWarning;
    }

    public long getExactCountLimit() {
        return exactCountLimit;
    }

    public void setExactCountLimit(long exactCountLimit) {
        this.exactCountLimit = exactCountLimit;
    }

    /** SQLite's journal modes (PRAGMA journal_mode). */
    private static final List<String> SQLITE_JOURNAL_MODES = List.of("WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY", "OFF");
    /** SQLite's synchronous modes (PRAGMA synchronous). */
    private static final List<String> SQLITE_SYNCHRONOUS_MODES = List.of("OFF", "NORMAL", "FULL", "EXTRA");

    @Override
    public boolean supports(Class<?> type) {
        return RetrySpoolProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        RetrySpoolProperties p = (RetrySpoolProperties) target;
        if (p.instanceId != null && p.instanceId.isBlank()) {
            errors.rejectValue("instanceId", "blank", "retryspool.instance-id must not be blank");
        }
        atLeast(errors, "maxAttempts", "retryspool.max-attempts", p.maxAttempts, 1);
        if (p.defaultPriority < 0 || p.defaultPriority > 100) {
            errors.rejectValue("defaultPriority", "range",
                    "retryspool.default-priority must be between 0 and 100, was " + p.defaultPriority);
        }
        atLeast(errors, "worker.concurrency", "retryspool.worker.concurrency", p.worker.concurrency, 1);
        atLeast(errors, "worker.batchSize", "retryspool.worker.batch-size", p.worker.batchSize, 1);
        positive(errors, "worker.pollInterval", "retryspool.worker.poll-interval", p.worker.pollInterval);
        positive(errors, "worker.leaseTimeout", "retryspool.worker.lease-timeout", p.worker.leaseTimeout);
        notNegative(errors, "worker.shutdownGrace", "retryspool.worker.shutdown-grace", p.worker.shutdownGrace);
        notNegative(errors, "worker.attemptTimeout", "retryspool.worker.attempt-timeout", p.worker.attemptTimeout);
        notNegative(errors, "archive.retention", "retryspool.archive.retention", p.archive.retention);
        notNegative(errors, "delayWarning", "retryspool.delay-warning", p.delayWarning);
        if (p.exactCountLimit < 1) {
            errors.rejectValue("exactCountLimit", "min",
                    "retryspool.exact-count-limit must be at least 1, was " + p.exactCountLimit);
        }
        intervals(errors, "retry.intervals", "retryspool.retry.intervals", p.retry.intervals);
        positive(errors, "retry.maxLifetime", "retryspool.retry.max-lifetime", p.retry.maxLifetime);
        p.retry.policies.forEach((name, policy) -> {
            String path = "retryspool.retry.policies." + name;
            intervals(errors, "retry.policies[" + name + "].intervals", path + ".intervals", policy.intervals);
            if (policy.maxAttempts != null && policy.maxAttempts < 1) {
                errors.rejectValue("retry.policies[" + name + "].maxAttempts", "min",
                        path + ".max-attempts must be at least 1, was " + policy.maxAttempts);
            }
        });
        if (p.datasource.maximumPoolSize < 1) {
            errors.rejectValue("datasource.maximumPoolSize", "min",
                    "retryspool.datasource.maximum-pool-size must be at least 1, was " + p.datasource.maximumPoolSize);
        }
        if (p.datasource.minimumIdle != null && p.datasource.minimumIdle < 0) {
            errors.rejectValue("datasource.minimumIdle", "min",
                    "retryspool.datasource.minimum-idle must not be negative, was " + p.datasource.minimumIdle);
        }
        shards(errors, p);
        destinations(errors, p.destinations);
        if (p.sqlite.path == null || p.sqlite.path.isBlank()) {
            errors.rejectValue("sqlite.path", "blank", "retryspool.sqlite.path must not be blank");
        }
        oneOf(errors, "sqlite.journalMode", "retryspool.sqlite.journal-mode", p.sqlite.journalMode, SQLITE_JOURNAL_MODES);
        oneOf(errors, "sqlite.synchronous", "retryspool.sqlite.synchronous", p.sqlite.synchronous, SQLITE_SYNCHRONOUS_MODES);
        notNegative(errors, "sqlite.busyTimeout", "retryspool.sqlite.busy-timeout", p.sqlite.busyTimeout);
        tableName(errors, "jdbc.metaTable", "retryspool.jdbc.meta-table", p.jdbc.metaTable);
        tableName(errors, "jdbc.dataTable", "retryspool.jdbc.data-table", p.jdbc.dataTable);
        if (p.data.path == null || p.data.path.isBlank()) {
            errors.rejectValue("data.path", "blank", "retryspool.data.path must not be blank");
        }
        if (p.data.encryption.key != null && !p.data.encryption.key.isBlank()) {
            try {
                EncryptionKeys.ofBase64(p.data.encryption.key.trim());
            } catch (IllegalArgumentException e) {
                errors.rejectValue("data.encryption.key", "invalid", "retryspool.data.encryption.key must be a base64 "
                        + "encoded 32-byte key (generate one with EncryptionKeys.generateBase64Key())");
            }
        }
        positive(errors, "metrics.countRefresh", "retryspool.metrics.count-refresh", p.metrics.countRefresh);
    }

    private static void shards(Errors errors, RetrySpoolProperties p) {
        if (p.shards.isEmpty()) {
            return;
        }
        p.shards.forEach((name, shard) -> {
            String path = "retryspool.shards." + name;
            try {
                io.retryspool.storage.shard.Shard.requireValid(name, shard.affinity);
            } catch (IllegalArgumentException e) {
                errors.rejectValue("shards", "invalid", path + ": " + e.getMessage());
            }
            if (shard.url == null || shard.url.isBlank()) {
                errors.rejectValue("shards", "blank", path + ".url must be set");
            } else if (shard.url.trim().startsWith("jdbc:sqlite:")) {
                errors.rejectValue("shards", "sqlite", path + ".url is a SQLite file; shards are databases on servers "
                        + "of their own (PostgreSQL)");
            }
            if (shard.maximumPoolSize < 1) {
                errors.rejectValue("shards", "min", path + ".maximum-pool-size must be at least 1, was "
                        + shard.maximumPoolSize);
            }
            if (shard.connectionTimeout == null || shard.connectionTimeout.toMillis() < 250) {
                errors.rejectValue("shards", "min", path + ".connection-timeout must be at least 250ms, was "
                        + shard.connectionTimeout);
            }
        });
        if (p.shards.values().stream().allMatch(shard -> shard.affinity == 0)) {
            errors.rejectValue("shards", "affinity", "retryspool.shards: at least one shard needs an affinity above 0, "
                    + "or no shard takes new messages");
        }
        if (p.datasource.url != null && !p.datasource.url.isBlank()) {
            errors.rejectValue("shards", "conflict", "retryspool.shards and retryspool.datasource.url cannot both be "
                    + "set: with shards, each shard is a database of the spool");
        }
        if (p.store == StoreType.MEMORY || p.data.store == DataStoreType.FILESYSTEM) {
            errors.rejectValue("shards", "conflict", "retryspool.shards keeps metadata and bodies in each shard's "
                    + "database; it cannot be combined with retryspool.store=memory or retryspool.data.store=filesystem");
        }
    }

    private static void destinations(Errors errors, Destinations d) {
        if (d.concurrency < 0) {
            errors.rejectValue("destinations.concurrency", "min", "retryspool.destinations.concurrency must be 0 (no "
                    + "limit) or more, was " + d.concurrency);
        }
        atLeast(errors, "destinations.failureThreshold", "retryspool.destinations.failure-threshold",
                d.failureThreshold, 1);
        positive(errors, "destinations.suspend", "retryspool.destinations.suspend", d.suspend);
        d.limits.forEach((name, limit) -> {
            String path = "retryspool.destinations.limits" + (name.contains(".") ? "[" + name + "]" : "." + name);
            try {
                InputLimits.requireDestination("name", name);
            } catch (IllegalArgumentException e) {
                errors.rejectValue("destinations.limits", "name", path + ": the destination's " + e.getMessage());
            }
            if (limit.concurrency != null && limit.concurrency < 0) {
                errors.rejectValue("destinations.limits", "min", path + ".concurrency must be 0 (no limit) or more, "
                        + "was " + limit.concurrency);
            }
            if (limit.rate != null && (!(limit.rate > 0) || limit.rate.isInfinite())) {
                errors.rejectValue("destinations.limits", "positive", path + ".rate must be a positive number of "
                        + "attempts per second, was " + limit.rate);
            }
        });
    }

    private static void oneOf(Errors errors, String field, String property, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value.trim().toUpperCase(Locale.ROOT))) {
            errors.rejectValue(field, "oneOf", property + " must be one of " + allowed + ", was " + value);
        }
    }

    private static void atLeast(Errors errors, String field, String property, int value, int minimum) {
        if (value < minimum) {
            errors.rejectValue(field, "min", property + " must be at least " + minimum + ", was " + value);
        }
    }

    private static void positive(Errors errors, String field, String property, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            errors.rejectValue(field, "positive", property + " must be a positive duration, was " + value);
        }
    }

    private static void notNegative(Errors errors, String field, String property, Duration value) {
        if (value == null || value.isNegative()) {
            errors.rejectValue(field, "notNegative", property + " must not be negative, was " + value);
        }
    }

    private static void intervals(Errors errors, String field, String property, List<Duration> intervals) {
        if (intervals == null || intervals.isEmpty()) {
            errors.rejectValue(field, "empty", property + " must list at least one interval");
            return;
        }
        for (Duration interval : intervals) {
            if (interval == null || interval.isZero() || interval.isNegative()) {
                errors.rejectValue(field, "positive", property + " must contain only positive durations, was " + intervals);
                return;
            }
        }
    }

    private static void tableName(Errors errors, String field, String property, String value) {
        try {
            new JdbcTables(value, value + "_x");
        } catch (IllegalArgumentException e) {
            errors.rejectValue(field, "identifier", property + " '" + value + "' is not a valid table name: use lower-case "
                    + "letters, digits and underscores, starting with a letter or underscore, at most 48 characters");
        }
    }

    /** Where messages are stored. */
    public enum StoreType {
        /** A database: PostgreSQL, SQLite, MariaDB or MySQL. */
        JDBC,
        /** This process's memory; messages are lost when it stops. */
        MEMORY
    }

    /** Where message bodies are stored. */
    public enum DataStoreType {
        /** The same database as the metadata, in chunks. */
        JDBC,
        /** One file per body under {@code retryspool.data.path}. */
        FILESYSTEM
    }

    /** Worker settings. */
    public static final class Worker {

        /**
         * Handler threads.
         */
        private int concurrency = 10;

        /**
         * Messages claimed per round trip to the store.
         */
        private int batchSize = 100;

        /**
         * How often an idle spool looks for due messages; enqueues in this process wake the workers at once.
         */
        private Duration pollInterval = Duration.ofSeconds(1);

        /**
         * How long a claimed message may go without a lease renewal before another instance takes it back.
         */
        private Duration leaseTimeout = Duration.ofMinutes(5);

        /**
         * How long stopping waits for running handlers before interrupting them.
         */
        private Duration shutdownGrace = Duration.ofSeconds(30);

        /**
         * Longest time one delivery attempt may run: past it the handler is interrupted, the attempt counts as a
         * retryable failure and another worker takes its place. 0 for no limit.
         */
        private Duration attemptTimeout = Duration.ofMinutes(5);

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getLeaseTimeout() {
            return leaseTimeout;
        }

        public void setLeaseTimeout(Duration leaseTimeout) {
            this.leaseTimeout = leaseTimeout;
        }

        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }

        public Duration getAttemptTimeout() {
            return attemptTimeout;
        }

        public void setAttemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
        }
    }

    /** Retry settings. */
    public static final class Retry {

        /**
         * Waits of the default retry policy: after the n-th failed attempt the message waits the n-th interval;
         * the last one repeats.
         */
        private List<Duration> intervals = new ArrayList<>(List.of(Duration.ofMinutes(15), Duration.ofMinutes(30),
                Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8),
                Duration.ofHours(16), Duration.ofHours(24)));

        /**
         * Longest time a message may spend in the spool: a failure after it bounces the message even if attempts
         * remain.
         */
        private Duration maxLifetime = Duration.ofDays(5);

        /**
         * Named retry policies that messages choose with EnqueueRequest.retryPolicy or the x-retry-policy header.
         */
        private Map<String, Policy> policies = new LinkedHashMap<>();

        public List<Duration> getIntervals() {
            return intervals;
        }

        public void setIntervals(List<Duration> intervals) {
            this.intervals = intervals;
        }

        public Duration getMaxLifetime() {
            return maxLifetime;
        }

        public void setMaxLifetime(Duration maxLifetime) {
            this.maxLifetime = maxLifetime;
        }

        public Map<String, Policy> getPolicies() {
            return policies;
        }

        public void setPolicies(Map<String, Policy> policies) {
            this.policies = policies;
        }
    }

    /** A named retry policy. */
    public static final class Policy {

        /**
         * Waits after each failed attempt; the last one repeats.
         */
        private List<Duration> intervals = new ArrayList<>();

        /**
         * Delivery attempts a message using this policy may have; unset means the message's own maximum.
         */
        private @Nullable Integer maxAttempts;

        public List<Duration> getIntervals() {
            return intervals;
        }

        public void setIntervals(List<Duration> intervals) {
            this.intervals = intervals;
        }

        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }
    }

    /** Archiving of finished messages. */
    public static final class Archive {

        /**
         * Whether delivered messages are kept as ARCHIVED instead of deleted.
         */
        private boolean success;

        /**
         * Whether bounced messages are kept as ARCHIVED after the bounce handlers ran instead of deleted.
         */
        private boolean bounce;

        /**
         * How long ARCHIVED messages are kept after their last update before they are deleted with their bodies.
         * 0 keeps them for ever.
         */
        private Duration retention = Duration.ofDays(7);

        public boolean isSuccess() {
            return success;
        }

        public void setSuccess(boolean success) {
            this.success = success;
        }

        public boolean isBounce() {
            return bounce;
        }

        public void setBounce(boolean bounce) {
            this.bounce = bounce;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }
    }

    /** A dedicated connection pool for RetrySpool. */
    public static final class Datasource {

        /**
         * JDBC URL of a database for RetrySpool alone. When set, RetrySpool uses its own pool instead of the
         * application's DataSource.
         */
        private @Nullable String url;

        /**
         * Login user of the dedicated database.
         */
        private @Nullable String username;

        /**
         * Login password of the dedicated database.
         */
        private @Nullable String password;

        /**
         * Largest number of connections in the dedicated pool.
         */
        private int maximumPoolSize = 10;

        /**
         * Smallest number of idle connections in the dedicated pool. Defaults to the maximum pool size.
         */
        private @Nullable Integer minimumIdle;

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public @Nullable Integer getMinimumIdle() {
            return minimumIdle;
        }

        public void setMinimumIdle(@Nullable Integer minimumIdle) {
            this.minimumIdle = minimumIdle;
        }
    }

    /** One shard: a database holding a complete store of its own. */
    public static final class Shard {

        /**
         * JDBC URL of the shard's database (PostgreSQL or SQLite).
         */
        private @Nullable String url;

        /**
         * Login user of the shard's database.
         */
        private @Nullable String username;

        /**
         * Login password of the shard's database.
         */
        private @Nullable String password;

        /**
         * Largest number of connections in the shard's pool.
         */
        private int maximumPoolSize = 10;

        /**
         * How long an operation waits for a connection of the shard before the shard counts as unreachable and new
         * messages go to the other shards.
         */
        private Duration connectionTimeout = Duration.ofSeconds(5);

        /**
         * Weight of new messages on this shard, 0 to 1000; 0 drains it (no new messages, the rest delivered).
         */
        private int affinity = 1;

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public int getMaximumPoolSize() {
            return maximumPoolSize;
        }

        public void setMaximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public int getAffinity() {
            return affinity;
        }

        public void setAffinity(int affinity) {
            this.affinity = affinity;
        }
    }

    /**
     * How messages with a destination are scheduled: how many attempts on one destination run at a time (across
     * every instance on the database), how fast they may start, and when a failing destination is suspended.
     */
    public static final class Destinations {

        /**
         * Most delivery attempts on one destination's messages that run at a time, across every instance on the
         * database; 0 for no limit. A destination under limits may have a limit of its own.
         */
        private int concurrency = 20;

        /**
         * Failed delivery attempts in a row after which a destination is suspended: its messages wait, and spend no
         * attempts, until the suspension ends.
         */
        private int failureThreshold = 5;

        /**
         * How long a destination's first suspension lasts. After it one probe message is attempted; if it fails the
         * destination is suspended again for twice as long, up to an hour (or this, if longer).
         */
        private Duration suspend = Duration.ofMinutes(5);

        /**
         * Limits of named destinations: concurrency (0 for none) and rate (attempts per second). A name with dots
         * goes in brackets: retryspool.destinations.limits[mail.example.com].rate.
         */
        private final Map<String, Limit> limits = new LinkedHashMap<>();

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public Duration getSuspend() {
            return suspend;
        }

        public void setSuspend(Duration suspend) {
            this.suspend = suspend;
        }

        public Map<String, Limit> getLimits() {
            return limits;
        }
    }

    /** The limits of one named destination. */
    public static final class Limit {

        /**
         * Most delivery attempts on this destination's messages that run at a time, across every instance; 0 for no
         * limit. Unset: retryspool.destinations.concurrency.
         */
        private @Nullable Integer concurrency;

        /**
         * Delivery attempts on this destination's messages that may start per second, on average (bursts of up to a
         * second's worth). Unset: no rate limit.
         */
        private @Nullable Double rate;

        public @Nullable Integer getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(@Nullable Integer concurrency) {
            this.concurrency = concurrency;
        }

        public @Nullable Double getRate() {
            return rate;
        }

        public void setRate(@Nullable Double rate) {
            this.rate = rate;
        }
    }

    /** The embedded SQLite database used when the application has no DataSource. */
    public static final class Sqlite {

        /**
         * File of the embedded SQLite database.
         */
        private String path = "./retryspool.db";

        /**
         * SQLite journal mode.
         */
        private String journalMode = "WAL";

        /**
         * SQLite synchronous mode: NORMAL, or FULL to survive power loss at the cost of speed.
         */
        private String synchronous = "NORMAL";

        /**
         * How long a writer waits for SQLite's write lock.
         */
        private Duration busyTimeout = Duration.ofSeconds(30);

        /**
         * SQLite page cache size: pages if positive, KiB if negative.
         */
        private int cacheSize = 2000;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getJournalMode() {
            return journalMode;
        }

        public void setJournalMode(String journalMode) {
            this.journalMode = journalMode;
        }

        public String getSynchronous() {
            return synchronous;
        }

        public void setSynchronous(String synchronous) {
            this.synchronous = synchronous;
        }

        public Duration getBusyTimeout() {
            return busyTimeout;
        }

        public void setBusyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
        }

        public int getCacheSize() {
            return cacheSize;
        }

        public void setCacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
        }
    }

    /** JDBC table names. */
    public static final class Jdbc {

        /**
         * Table holding message metadata.
         */
        private String metaTable = JdbcTables.DEFAULT_META_TABLE;

        /**
         * Table holding message bodies, in chunks.
         */
        private String dataTable = JdbcTables.DEFAULT_DATA_TABLE;

        public String getMetaTable() {
            return metaTable;
        }

        public void setMetaTable(String metaTable) {
            this.metaTable = metaTable;
        }

        public String getDataTable() {
            return dataTable;
        }

        public void setDataTable(String dataTable) {
            this.dataTable = dataTable;
        }
    }

    /** Message bodies. */
    public static final class Data {

        /**
         * Where bodies are stored: jdbc (the metadata's database) or filesystem (files under retryspool.data.path).
         */
        private DataStoreType store = DataStoreType.JDBC;

        /**
         * Directory of the filesystem body store.
         */
        private String path = "./retryspool-data";

        /**
         * Compression of stored bodies: none, gzip or zstd.
         */
        private Compression compression = Compression.NONE;

        private final Encryption encryption = new Encryption();

        public DataStoreType getStore() {
            return store;
        }

        public void setStore(DataStoreType store) {
            this.store = store;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public Compression getCompression() {
            return compression;
        }

        public void setCompression(Compression compression) {
            this.compression = compression;
        }

        public Encryption getEncryption() {
            return encryption;
        }
    }

    /** Encryption of stored bodies. */
    public static final class Encryption {

        /**
         * Base64-encoded 32-byte key; when set, bodies are encrypted.
         */
        private @Nullable String key;

        /**
         * Cipher of encrypted bodies: AES256GCM or CHACHA20POLY1305.
         */
        private EncryptionAlgorithm cipher = EncryptionAlgorithm.AES256GCM;

        public @Nullable String getKey() {
            return key;
        }

        public void setKey(@Nullable String key) {
            this.key = key;
        }

        public EncryptionAlgorithm getCipher() {
            return cipher;
        }

        public void setCipher(EncryptionAlgorithm cipher) {
            this.cipher = cipher;
        }
    }

    /** RetrySpool's own schema migrations. */
    public static final class Flyway {

        /**
         * Whether to apply RetrySpool's own Flyway migrations at start-up.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Metrics. */
    public static final class Metrics {

        /**
         * How stale the per-state message gauges may be: counts are taken at most this often.
         */
        private Duration countRefresh = Duration.ofSeconds(5);

        public Duration getCountRefresh() {
            return countRefresh;
        }

        public void setCountRefresh(Duration countRefresh) {
            this.countRefresh = countRefresh;
        }
    }
}
