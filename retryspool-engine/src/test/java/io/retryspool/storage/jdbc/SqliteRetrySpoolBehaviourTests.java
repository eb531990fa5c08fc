package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.AbstractRetrySpoolBehaviourTests;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The engine's behaviour on an SQLite file, through the JdbcStore an application builds. */
class SqliteRetrySpoolBehaviourTests extends AbstractRetrySpoolBehaviourTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @Override
    protected SpoolStore createStore() {
        pool = SqliteDataSources.create(directory.resolve("spool.db"));
        return JdbcStore.builder(pool).clock(clock).build();
    }

    @Override
    protected void closeStores() {
        pool.close();
    }
}
