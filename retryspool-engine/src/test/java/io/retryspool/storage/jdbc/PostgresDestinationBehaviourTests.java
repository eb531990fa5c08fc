package io.retryspool.storage.jdbc;

import io.retryspool.AbstractDestinationBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the engine schedules messages with a destination on PostgreSQL, through the JdbcStore an application builds. */
class PostgresDestinationBehaviourTests extends AbstractDestinationBehaviourTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("destination_behaviour", 24);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(schema.emptied()).migrate(false).clock(clock).build();
    }
}
