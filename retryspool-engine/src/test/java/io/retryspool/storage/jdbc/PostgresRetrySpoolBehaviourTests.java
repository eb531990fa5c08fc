package io.retryspool.storage.jdbc;

import io.retryspool.AbstractRetrySpoolBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine's behaviour on PostgreSQL, through the JdbcStore an application builds. */
class PostgresRetrySpoolBehaviourTests extends AbstractRetrySpoolBehaviourTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("behaviour", 24);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(schema.emptied()).migrate(false).clock(clock).build();
    }
}
