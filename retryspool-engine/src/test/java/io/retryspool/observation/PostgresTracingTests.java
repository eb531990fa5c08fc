package io.retryspool.observation;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Traces follow messages through a PostgreSQL schema shared by the spool instances. */
class PostgresTracingTests extends AbstractTracingTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("tracing", 8);

    @BeforeEach
    void emptyTheSchema() {
        schema.emptied();
    }

    @Override
    protected SpoolStore openStore() {
        return JdbcStore.builder(schema.dataSource()).migrate(false).build();
    }
}
