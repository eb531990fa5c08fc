package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.AbstractInputLimitsTests;
import io.retryspool.RetrySpool;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashSet;
import java.util.Set;

/** The input limits on PostgreSQL, metadata and bodies in one database. */
class PostgresInputLimitsTests extends AbstractInputLimitsTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("fuzz", 8);

    @BeforeEach
    void emptyTables() {
        schema.emptied();
    }

    @Override
    protected RetrySpoolBuilder onStore(RetrySpoolBuilder builder) {
        return builder.jdbc(schema.dataSource()).migrate(false);
    }

    @Override
    protected Set<String> storedBodyIds() {
        return new HashSet<>(new JdbcTemplate(schema.dataSource())
                .queryForList("SELECT DISTINCT message_id FROM retryspool_data", String.class));
    }
}
