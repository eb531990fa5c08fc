package io.retryspool.benchmarks;

import io.retryspool.builder.RetrySpoolBuilder;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.storage.fs.FileSystemDataStore;
import io.retryspool.storage.jdbc.JdbcMetaStore;
import io.retryspool.storage.jdbc.RetrySpoolSchema;
import io.retryspool.storage.jdbc.SqliteDataSources;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Where a scenario's spool keeps metadata and bodies; each {@link #open} starts from an empty store. */
enum Backend {

    /** Metadata and bodies in PostgreSQL ({@code builder().jdbc(..)}), in a fresh schema. */
    POSTGRES("PostgreSQL", true),

    /** Metadata and bodies in an SQLite file in WAL mode ({@link SqliteDataSources#create(Path)}). */
    SQLITE("SQLite (file, WAL)", false),

    /** Metadata in PostgreSQL ({@link JdbcMetaStore}), bodies in a {@link FileSystemDataStore}. */
    POSTGRES_FILES("PostgreSQL metadata + filesystem bodies", true),

    /**
     * Two shards of affinity 1 ({@code builder().shard(..)}), one on the run's PostgreSQL and one on the second
     * cluster ({@link BenchmarkContext#newSecondSchema()}), each with a pool of the given size.
     */
    POSTGRES_TWO_SHARDS("two shards on two PostgreSQL clusters", true);

    /** Connections per PostgreSQL pool: 10 workers or 5 producers plus the spool's own housekeeping. */
    static final int POSTGRES_POOL_SIZE = 16;

    private final String description;
    private final boolean postgres;

    Backend(String description, boolean postgres) {
        this.description = description;
        this.postgres = postgres;
    }

    /** What the backend is, in words. */
    String description() {
        return description;
    }

    /** Whether it needs the run's PostgreSQL. */
    boolean usesPostgres() {
        return postgres;
    }

    /** Opens a fresh, empty store. */
    Store open(BenchmarkContext context) {
        return open(context, UnaryOperator.identity());
    }

    /**
     * Opens a fresh, empty store whose DataSource is wrapped (e.g. to count queries).
     *
     * @param context the run
     * @param wrap applied to the pool before the spool sees it
     * @return the store; close it when the scenario is done
     */
    Store open(BenchmarkContext context, UnaryOperator<DataSource> wrap) {
        return open(context, POSTGRES_POOL_SIZE, wrap);
    }

    /**
     * Opens a fresh, empty store whose PostgreSQL pool has the given maximum (and minimum idle) size; SQLite keeps
     * {@link SqliteDataSources}' own pool.
     *
     * @param context the run
     * @param postgresPoolSize connections in the PostgreSQL pool
     * @param wrap applied to the pool before the spool sees it
     * @return the store; close it when the scenario is done
     */
    Store open(BenchmarkContext context, int postgresPoolSize, UnaryOperator<DataSource> wrap) {
        return switch (this) {
            case POSTGRES -> {
                PostgresSchemas.Schema schema = context.newSchema();
                DataSource dataSource = wrap.apply(schema.pool("retryspool", postgresPoolSize));
                yield new Store(builder -> builder.jdbc(dataSource), schema::close);
            }
            case SQLITE -> {
                HikariDataSource pool = SqliteDataSources.create(context.newSqliteFile("spool"));
                DataSource dataSource = wrap.apply(pool);
                yield new Store(builder -> builder.jdbc(dataSource), pool::close);
            }
            case POSTGRES_TWO_SHARDS -> {
                PostgresSchemas.Schema first = context.newSchema();
                PostgresSchemas.Schema second = context.newSecondSchema();
                DataSource a = wrap.apply(first.pool("shard-a", postgresPoolSize));
                DataSource b = wrap.apply(second.pool("shard-b", postgresPoolSize));
                yield new Store(builder -> builder.shard("a", a, 1).shard("b", b, 1), () -> {
                    first.close();
                    second.close();
                });
            }
            case POSTGRES_FILES -> {
                PostgresSchemas.Schema schema = context.newSchema();
                DataSource dataSource = wrap.apply(schema.pool("retryspool", postgresPoolSize));
                RetrySpoolSchema.migrate(dataSource);
                Path bodies = context.newDirectory("bodies");
                yield new Store(builder -> builder.metaStore(new JdbcMetaStore(dataSource))
                        .dataStore(new FileSystemDataStore(bodies)), schema::close);
            }
        };
    }

    /** An opened store: configures spool builders to use it, and releases it when closed. */
    static final class Store implements AutoCloseable {
        private final UnaryOperator<RetrySpoolBuilder> configure;
        private final Runnable release;

        private Store(UnaryOperator<RetrySpoolBuilder> configure, Runnable release) {
            this.configure = configure;
            this.release = release;
        }

        /** Returns a new spool builder on this store. */
        RetrySpoolBuilder builder() {
            return configure.apply(RetrySpool.builder());
        }

        @Override
        public void close() {
            release.run();
        }
    }
}
