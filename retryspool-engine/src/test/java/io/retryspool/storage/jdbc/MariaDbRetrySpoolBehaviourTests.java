package io.retryspool.storage.jdbc;

import io.retryspool.AbstractRetrySpoolBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine's behaviour on MariaDB, through the JdbcStore an application builds. */
class MariaDbRetrySpoolBehaviourTests extends AbstractRetrySpoolBehaviourTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("behaviour", 24);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(database.emptied()).migrate(false).clock(clock).build();
    }
}
