package io.retryspool.observation;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.storage.jdbc.SqliteDataSources;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Traces follow messages through a SQLite file; each spool instance opens the file with a pool of its own. */
class SqliteTracingTests extends AbstractTracingTests {

    @TempDir
    Path directory;

    @Override
    protected SpoolStore openStore() {
        HikariDataSource pool = closedAfterTest(SqliteDataSources.create(directory.resolve("spool.db")));
        return JdbcStore.builder(pool).build();
    }
}
