package io.retryspool.boot.autoconfigure;

import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The database the auto-configured JDBC stores use, and where it came from. A pool RetrySpool created itself
 * (the dedicated {@code retryspool.datasource.*} one, or the embedded SQLite file) is closed with the context.
 * Deliberately not a {@link DataSource} bean, so that it never competes with the application's own.
 */
public final class RetrySpoolJdbcConnection implements AutoCloseable {

    /** Where the DataSource came from. */
    public enum Origin {
        /** A pool built from {@link RetrySpoolConnectionDetails}: {@code retryspool.datasource.*} or a service connection. */
        DEDICATED,
        /** A bean qualified with {@link RetrySpoolDataSource}. */
        QUALIFIED,
        /** The application's only DataSource; enqueues join its transactions. */
        APPLICATION,
        /** The embedded SQLite file at {@code retryspool.sqlite.path}. */
        EMBEDDED_SQLITE
    }

    private final DataSource dataSource;
    private final Origin origin;
    private final @Nullable AutoCloseable owned;

    RetrySpoolJdbcConnection(DataSource dataSource, Origin origin, @Nullable AutoCloseable owned) {
        this.dataSource = dataSource;
        this.origin = origin;
        this.owned = owned;
    }

    /**
     * Returns the DataSource.
     *
     * @return the DataSource
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Returns where the DataSource came from.
     *
     * @return the origin
     */
    public Origin origin() {
        return origin;
    }

    /** Closes the pool if RetrySpool created it. */
    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }
}
