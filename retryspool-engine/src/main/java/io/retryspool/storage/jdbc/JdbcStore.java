package io.retryspool.storage.jdbc;

import io.retryspool.checks.Arguments;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreResult;
import io.retryspool.storage.StoreTransactions;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The store of one database (PostgreSQL 12+, MariaDB 10.6+/MySQL 8.0.1+ or SQLite 3.35+): message metadata and, unless
 * they are given a body store of their own, bodies in tables of that database, written by this store in one transaction
 * (on PostgreSQL an enqueue of small bodies and the deletion of finished messages are one statement each). Enqueues
 * join a caller's Spring transaction on the same DataSource (the transactional outbox). Build one with {@link
 * #builder(DataSource)}; the spool's builder and the Spring Boot auto-configuration both do.
 */
public final class JdbcStore implements SpoolStore {

    private final JdbcMetaStore meta;
    private final @Nullable JdbcDataStore jdbcBodies;
    private final SpoolStore pair;

    private JdbcStore(JdbcMetaStore meta, @Nullable JdbcDataStore jdbcBodies, SpoolStore pair) {
        this.meta = meta;
        this.jdbcBodies = jdbcBodies;
        this.pair = pair;
    }

    /**
     * Starts building the store of a database.
     *
     * @param dataSource the database
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Arguments.requireNonNull("dataSource", dataSource));
    }

    @Override
    public MetaStore meta() {
        return meta;
    }

    @Override
    public DataStore bodies() {
        return pair.bodies();
    }

    @Override
    public StoreTransactions transactions() {
        return pair.transactions();
    }

    /**
     * The DataSource of the database.
     *
     * @return the DataSource
     */
    public DataSource dataSource() {
        return meta.dataSource();
    }

    /**
     * With bodies in this database and each fitting in one chunk, writes both tables in as few round trips as the
     * database allows; otherwise each body, then the metadata, in one transaction.
     */
    @Override
    public List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> bodies) {
        if (jdbcBodies != null && bodies.stream().allMatch(body -> jdbcBodies.fitsOneChunk(body.length))) {
            return meta.storeAllWithBodies(messages, bodies, jdbcBodies, pair.transactions());
        }
        return pair.storeAllWithBodies(messages, bodies);
    }

    /**
     * With bodies in this database on PostgreSQL, outside a caller's transaction, deletes finished messages and their
     * bodies with one statement; otherwise writes the outcomes and deletes the bodies in one transaction.
     */
    @Override
    public Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes) {
        if (jdbcBodies != null && meta.deletesWithBodiesInOneStatement()
                && !pair.transactions().callerTransactionActive()) {
            return meta.completeAndDeleteBodies(outcomes, jdbcBodies);
        }
        return pair.completeAndDeleteBodies(outcomes);
    }

    /** Builds a {@link JdbcStore}; by default it applies the migrations and keeps bodies in the database. */
    public static final class Builder {

        private final DataSource dataSource;
        private JdbcTables tables = JdbcTables.defaults();
        private boolean migrate = true;
        private @Nullable DataStore bodies;
        private int chunkSize = JdbcDataStore.DEFAULT_CHUNK_SIZE;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Names the tables (default {@link JdbcTables#defaults()}).
         *
         * @param tables the table names
         * @return this builder
         */
        public Builder tables(JdbcTables tables) {
            this.tables = Arguments.requireNonNull("tables", tables);
            return this;
        }

        /**
         * Whether {@link #build()} applies RetrySpool's Flyway migrations (default true); turn it off when the
         * schema is migrated elsewhere, e.g. by the Spring Boot auto-configuration or a deployment step.
         *
         * @param migrate whether to migrate
         * @return this builder
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Keeps bodies in another body store (the file system, say) instead of this database's body table. Bodies
         * and metadata then share no transaction: bodies are written first, and the spool's orphan sweeper removes
         * bodies whose metadata never arrived.
         *
         * @param bodies the body store
         * @return this builder
         */
        public Builder bodies(DataStore bodies) {
            this.bodies = Arguments.requireNonNull("bodies", bodies);
            return this;
        }

        /**
         * The size of the chunks bodies are cut into in the body table (default 1 MiB).
         *
         * @param chunkSize bytes per chunk, at least 1
         * @return this builder
         */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = Arguments.requirePositive("chunkSize", chunkSize);
            return this;
        }

        /**
         * The clock that stamps stored body chunks, which the orphan sweeper reads (default the system's UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Arguments.requireNonNull("clock", clock);
            return this;
        }

        /**
         * Applies the migrations (unless turned off) and builds the store.
         *
         * @return the store
         * @throws io.retryspool.StorageException if the database is not supported or cannot be reached
         */
        public JdbcStore build() {
            if (migrate) {
                RetrySpoolSchema.migrate(dataSource, tables);
            }
            JdbcMetaStore meta = new JdbcMetaStore(dataSource, tables);
            if (bodies != null) {
                return new JdbcStore(meta, null, SpoolStore.of(meta, bodies));
            }
            JdbcDataStore jdbcBodies = new JdbcDataStore(dataSource, tables, chunkSize, clock);
            return new JdbcStore(meta, jdbcBodies,
                    SpoolStore.of(meta, jdbcBodies, new JdbcStoreTransactions(dataSource)));
        }
    }
}
