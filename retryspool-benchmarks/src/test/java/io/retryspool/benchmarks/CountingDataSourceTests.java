package io.retryspool.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.SqliteDataSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class CountingDataSourceTests {

    @TempDir
    Path directory;

    @Test
    void everyExecuteCountsOnceAndEverythingElsePassesThrough() throws Exception {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("count.db"))) {
            CountingDataSource counting = new CountingDataSource(pool);
            try (Connection connection = counting.dataSource().getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t (x INTEGER)");
                }
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
                    insert.setInt(1, 1);
                    insert.executeUpdate();
                    insert.setInt(1, 2);
                    insert.addBatch();
                    insert.setInt(1, 3);
                    insert.addBatch();
                    insert.executeBatch();
                }
                connection.commit();
                connection.setAutoCommit(true);
                try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM t");
                        ResultSet rows = select.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).isEqualTo(3);
                }
                assertThat(connection.isWrapperFor(Connection.class)).isTrue();
            }

            assertThat(counting.executions()).isEqualTo(4);
            assertThat(counting.commits()).isEqualTo(1);
            counting.reset();
            assertThat(counting.executions()).isZero();
        }
    }
}
