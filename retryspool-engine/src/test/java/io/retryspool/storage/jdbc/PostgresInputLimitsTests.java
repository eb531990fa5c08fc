package io.retryspool.storage.jdbc;

import io.retryspool.AbstractInputLimitsTests;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashSet;
import java.util.Set;

/** The input limits on PostgreSQL, metadata and bodies in one database. */
class PostgresInputLimitsTests extends AbstractInputLimitsTests {

    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("fuzz", 8);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        new JdbcTemplate(schema.dataSource()).execute("TRUNCATE retryspool_messages, retryspool_data");
    }

    @Override
    protected RetrySpool.Builder onStore(RetrySpool.Builder builder) {
        return builder.jdbc(schema.dataSource()).migrate(false);
    }

    @Override
    protected Set<String> storedBodyIds() {
        return new HashSet<>(new JdbcTemplate(schema.dataSource())
                .queryForList("SELECT DISTINCT message_id FROM retryspool_data", String.class));
    }
}
