package io.retryspool.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.RetrySpoolSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A migrated PostgreSQL schema of a test's own that several spool instances share, each with a pool of its own as
 * separate processes would have. Closing it closes what was {@linkplain #track tracked} (the last first) and drops
 * the schema.
 */
public final class SharedSchema implements AutoCloseable {

    private final TestPostgres.Schema schema;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private SharedSchema(TestPostgres.Schema schema) {
        this.schema = schema;
    }

    /**
     * Creates the schema and applies RetrySpool's migrations to it.
     *
     * @param purpose a word for the schema's name
     * @return the schema
     */
    public static SharedSchema create(String purpose) {
        TestPostgres.Schema schema = TestPostgres.newSchema(purpose, 2);
        RetrySpoolSchema.migrate(schema.dataSource());
        return new SharedSchema(schema);
    }

    /**
     * Returns the schema, for statements of the test's own.
     *
     * @return the schema
     */
    public TestPostgres.Schema schema() {
        return schema;
    }

    /**
     * Opens a pool of its own on the schema, closed with it.
     *
     * @param maximumPoolSize the pool's size
     * @return the pool
     */
    public HikariDataSource pool(int maximumPoolSize) {
        return track(schema.pool(maximumPoolSize));
    }

    /**
     * Closes a resource (a spool, say) when the schema closes, before what was tracked earlier.
     *
     * @param resource the resource
     * @param <T> its type
     * @return the resource
     */
    public <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> lastFirst = new ArrayList<>(resources);
        Collections.reverse(lastFirst);
        try {
            for (AutoCloseable resource : lastFirst) {
                resource.close();
            }
        } finally {
            schema.close();
        }
    }
}
