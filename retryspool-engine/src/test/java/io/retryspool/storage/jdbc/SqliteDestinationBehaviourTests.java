package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.AbstractDestinationBehaviourTests;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** How the engine schedules messages with a destination on an SQLite file, through the JdbcStore an application builds. */
class SqliteDestinationBehaviourTests extends AbstractDestinationBehaviourTests {

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
