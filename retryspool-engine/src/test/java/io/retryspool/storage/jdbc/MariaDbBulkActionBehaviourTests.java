package io.retryspool.storage.jdbc;

import io.retryspool.AbstractBulkActionBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk verbs on MariaDB, through the JdbcStore an application builds. */
class MariaDbBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("bulk_behaviour", 12);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(database.emptied()).migrate(false).clock(clock).build();
    }
}
