package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractMetaStoreContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.ArrayList;
import java.util.List;

/** The MetaStore contract on PostgreSQL, in a schema of this class's own. */
class PostgresMetaStoreContractTests extends AbstractMetaStoreContractTests {

    private static TestPostgres.Schema schema;
    private final List<HikariDataSource> extraPools = new ArrayList<>();

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("meta_contract", 12);
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
        new org.springframework.jdbc.core.JdbcTemplate(schema.dataSource()).execute("TRUNCATE retryspool_messages, retryspool_messages_activity");
        return new JdbcMetaStore(schema.dataSource());
    }

    /** PostgreSQL estimates from the statistics its ANALYZE gathers (autovacuum would, some time later). */
    @Override
    protected void refreshStatistics() {
        new org.springframework.jdbc.core.JdbcTemplate(schema.dataSource()).execute("ANALYZE retryspool_messages");
    }

    @Override
    protected boolean estimatesBeyondLimit() {
        return true;
    }

    @Override
    protected MetaStore anotherClientOf(MetaStore store) {
        HikariDataSource pool = schema.pool(6);
        extraPools.add(pool);
        return new JdbcMetaStore(pool);
    }

    @Override
    protected void destroyStore(MetaStore store) {
        extraPools.forEach(HikariDataSource::close);
    }
}
