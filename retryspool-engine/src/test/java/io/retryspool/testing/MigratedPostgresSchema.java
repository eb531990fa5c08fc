package io.retryspool.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.RetrySpoolSchema;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * A PostgreSQL schema of one test class's own with RetrySpool's tables: created and migrated before the class's
 * tests, dropped after them. Register it as a static field with {@code @RegisterExtension}; {@link #emptied()} empties
 * the spool's tables for the next test. Without PostgreSQL the class is skipped ({@link TestPostgres}).
 */
public final class MigratedPostgresSchema implements BeforeAllCallback, AfterAllCallback {

    private final String purpose;
    private final int maximumPoolSize;
    private TestPostgres.Schema schema;

    /**
     * Describes the schema.
     *
     * @param purpose a word for the schema's name
     * @param maximumPoolSize the size of the schema's own pool
     */
    public MigratedPostgresSchema(String purpose, int maximumPoolSize) {
        this.purpose = purpose;
        this.maximumPoolSize = maximumPoolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        schema = TestPostgres.newSchema(purpose, maximumPoolSize);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (schema != null) {
            schema.close();
        }
    }

    /**
     * Returns the schema's own pool.
     *
     * @return the pool
     */
    public DataSource dataSource() {
        return schema.dataSource();
    }

    /**
     * Empties the spool's tables (messages, their activity, destinations and bodies).
     *
     * @return the schema's own pool
     */
    public DataSource emptied() {
        new JdbcTemplate(schema.dataSource())
                .execute("TRUNCATE retryspool_messages, retryspool_messages_activity,"
                        + " retryspool_messages_destinations, retryspool_data");
        return schema.dataSource();
    }

    /**
     * Opens another pool on the schema, as another process would have; the caller closes it.
     *
     * @param maximumPoolSize its size
     * @return the pool
     */
    public HikariDataSource pool(int maximumPoolSize) {
        return schema.pool(maximumPoolSize);
    }
}
