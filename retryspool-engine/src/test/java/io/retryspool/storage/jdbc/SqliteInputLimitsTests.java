package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.AbstractInputLimitsTests;
import io.retryspool.RetrySpool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** The input limits on an SQLite file, metadata and bodies in one database. */
class SqliteInputLimitsTests extends AbstractInputLimitsTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @BeforeEach
    void createPool() {
        pool = SqliteDataSources.create(directory.resolve("spool.db"));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Override
    protected RetrySpoolBuilder onStore(RetrySpoolBuilder builder) {
        return builder.jdbc(pool);
    }

    @Override
    protected Set<String> storedBodyIds() {
        return new HashSet<>(new JdbcTemplate(pool).queryForList("SELECT DISTINCT message_id FROM retryspool_data", String.class));
    }
}
