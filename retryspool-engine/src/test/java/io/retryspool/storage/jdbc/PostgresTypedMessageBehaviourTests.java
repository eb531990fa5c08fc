package io.retryspool.storage.jdbc;

import io.retryspool.AbstractTypedMessageBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed messages on PostgreSQL, through the JdbcStore an application builds. */
class PostgresTypedMessageBehaviourTests extends AbstractTypedMessageBehaviourTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("typed_behaviour", 8);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(schema.emptied()).migrate(false).build();
    }
}
