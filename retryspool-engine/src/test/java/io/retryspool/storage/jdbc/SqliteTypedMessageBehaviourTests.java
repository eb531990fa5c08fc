package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.AbstractTypedMessageBehaviourTests;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Typed messages on an SQLite file, through the JdbcStore an application builds. */
class SqliteTypedMessageBehaviourTests extends AbstractTypedMessageBehaviourTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @Override
    protected SpoolStore createStore() {
        pool = SqliteDataSources.create(directory.resolve("spool.db"));
        return JdbcStore.builder(pool).build();
    }

    @Override
    protected void closeStore() {
        pool.close();
    }
}
