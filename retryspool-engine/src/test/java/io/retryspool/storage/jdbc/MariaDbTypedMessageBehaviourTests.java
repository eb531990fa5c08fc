package io.retryspool.storage.jdbc;

import io.retryspool.AbstractTypedMessageBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed messages on MariaDB, through the JdbcStore an application builds. */
class MariaDbTypedMessageBehaviourTests extends AbstractTypedMessageBehaviourTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("typed_behaviour", 8);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(database.emptied()).migrate(false).build();
    }
}
