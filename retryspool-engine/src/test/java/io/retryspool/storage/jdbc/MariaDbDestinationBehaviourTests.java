package io.retryspool.storage.jdbc;

import io.retryspool.AbstractDestinationBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the engine schedules messages with a destination on MariaDB, through the JdbcStore an application builds. */
class MariaDbDestinationBehaviourTests extends AbstractDestinationBehaviourTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("destination_behaviour", 24);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(database.emptied()).migrate(false).clock(clock).build();
    }
}
