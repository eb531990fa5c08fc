package io.retryspool.storage.jdbc;

import io.retryspool.storage.AbstractMetaStoreSelectionContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk operations' contract on PostgreSQL, in a schema of this class's own. */
class PostgresMetaStoreSelectionContractTests extends AbstractMetaStoreSelectionContractTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("selection_contract", 4);

    @Override
    protected MetaStore createStore() {
        return new JdbcMetaStore(schema.emptied());
    }
}
