package io.retryspool.storage.jdbc;

import io.retryspool.AbstractBulkActionBehaviourTests;
import io.retryspool.storage.SpoolStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk verbs on PostgreSQL, through the JdbcStore an application builds. */
class PostgresBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("bulk_behaviour", 12);

    @Override
    protected SpoolStore createStore() {
        return JdbcStore.builder(schema.emptied()).migrate(false).clock(clock).build();
    }
}
