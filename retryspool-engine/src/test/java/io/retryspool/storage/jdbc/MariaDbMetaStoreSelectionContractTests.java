package io.retryspool.storage.jdbc;

import io.retryspool.storage.AbstractMetaStoreSelectionContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk operations' contract on MariaDB, in a database of this class's own. */
class MariaDbMetaStoreSelectionContractTests extends AbstractMetaStoreSelectionContractTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("selection_contract", 4);

    @Override
    protected MetaStore createStore() {
        return new JdbcMetaStore(database.emptied());
    }
}
