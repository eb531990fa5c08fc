package io.retryspool.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.RetrySpoolSchema;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * A MariaDB database of one test class's own with RetrySpool's tables: created afresh and migrated before the class's
 * tests, dropped after them. Register it as a static field with {@code @RegisterExtension}; {@link #emptied()} empties
 * the spool's tables for the next test. Without MariaDB the class is skipped ({@link TestMariaDb}).
 */
public final class MigratedMariaDbDatabase implements BeforeAllCallback, AfterAllCallback {

    private final String purpose;
    private final int maximumPoolSize;
    private TestMariaDb.Database database;

    /**
     * Describes the database.
     *
     * @param purpose a word for the database's name, unique among the test classes
     * @param maximumPoolSize the size of the database's own pool
     */
    public MigratedMariaDbDatabase(String purpose, int maximumPoolSize) {
        this.purpose = purpose;
        this.maximumPoolSize = maximumPoolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestMariaDb.newDatabase(purpose, maximumPoolSize);
        RetrySpoolSchema.migrate(database.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
        }
    }

    /**
     * Returns the database's own pool.
     *
     * @return the pool
     */
    public DataSource dataSource() {
        return database.dataSource();
    }

    /**
     * Empties the spool's tables (messages, their activity, destinations and bodies).
     *
     * @return the database's own pool
     */
    public DataSource emptied() {
        JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
        for (String table : new String[] {"retryspool_messages", "retryspool_messages_activity",
                "retryspool_messages_destinations", "retryspool_data"}) {
            jdbc.execute("TRUNCATE TABLE " + table);
        }
        return database.dataSource();
    }

    /**
     * Opens another pool on the database, as another process would have; the caller closes it.
     *
     * @param maximumPoolSize its size
     * @return the pool
     */
    public HikariDataSource pool(int maximumPoolSize) {
        return database.pool(maximumPoolSize);
    }
}
