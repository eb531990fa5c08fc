package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractMetaStoreContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

/** The MetaStore contract on PostgreSQL, in a schema of this class's own. */
class PostgresMetaStoreContractTests extends AbstractMetaStoreContractTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("meta_contract", 12);

    private final List<HikariDataSource> extraPools = new ArrayList<>();

    @Override
    protected MetaStore createStore() {
        return new JdbcMetaStore(schema.emptied());
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
