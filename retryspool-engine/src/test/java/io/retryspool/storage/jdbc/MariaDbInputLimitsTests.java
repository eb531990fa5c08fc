package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.AbstractInputLimitsTests;
import io.retryspool.RetrySpool;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashSet;
import java.util.Set;

/** The input limits on MariaDB, metadata and bodies in one database. */
class MariaDbInputLimitsTests extends AbstractInputLimitsTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("fuzz", 8);

    @BeforeEach
    void emptyTables() {
        database.emptied();
    }

    @Override
    protected RetrySpoolBuilder onStore(RetrySpoolBuilder builder) {
        return builder.jdbc(database.dataSource()).migrate(false);
    }

    @Override
    protected Set<String> storedBodyIds() {
        return new HashSet<>(new JdbcTemplate(database.dataSource())
                .queryForList("SELECT DISTINCT message_id FROM retryspool_data", String.class));
    }
}
