package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractDelayWarningContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/** The delay-warning contract on PostgreSQL, in a schema of this class's own; the second client has its own pool. */
class PostgresDelayWarningContractTests extends AbstractDelayWarningContractTests {

    private static TestPostgres.Schema schema;
    private final List<HikariDataSource> extraPools = new ArrayList<>();

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("delay_warning_contract", 8);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    protected MetaStore createStore() {
        new JdbcTemplate(schema.dataSource()).execute("TRUNCATE retryspool_messages");
        return new JdbcMetaStore(schema.dataSource());
    }

    @Override
    protected MetaStore anotherClientOf(MetaStore store) {
        HikariDataSource pool = schema.pool(4);
        extraPools.add(pool);
        return new JdbcMetaStore(pool);
    }

    @Override
    protected void destroyStore(MetaStore store) {
        extraPools.forEach(HikariDataSource::close);
    }
}
