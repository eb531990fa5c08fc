package io.retryspool.boot.autoconfigure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.SqliteDataSources;

import java.nio.file.Path;
import java.util.Objects;

/** Builds the pools RetrySpool owns; loaded only when one is needed, so HikariCP stays optional otherwise. */
final class RetrySpoolDataSources {

    private RetrySpoolDataSources() {
    }

    static HikariDataSource dedicated(RetrySpoolConnectionDetails connection, RetrySpoolProperties.Datasource properties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(connection.getJdbcUrl().trim());
        config.setUsername(connection.getUsername());
        config.setPassword(connection.getPassword());
        config.setMaximumPoolSize(properties.getMaximumPoolSize());
        if (properties.getMinimumIdle() != null) {
            config.setMinimumIdle(properties.getMinimumIdle());
        }
        config.setPoolName("retryspool");
        return new HikariDataSource(config);
    }

    static HikariDataSource shard(String name, RetrySpoolProperties.Shard properties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Objects.requireNonNull(properties.getUrl()).trim());
        config.setUsername(properties.getUsername());
        config.setPassword(properties.getPassword());
        config.setMaximumPoolSize(properties.getMaximumPoolSize());
        config.setConnectionTimeout(properties.getConnectionTimeout().toMillis());
        config.setPoolName("retryspool-shard-" + name);
        // a shard that does not answer at start-up must not stop the others: the pool connects on first use
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    static HikariDataSource sqlite(Path file, RetrySpoolProperties.Sqlite properties, int maximumPoolSize) {
        return SqliteDataSources.create(file, new SqliteDataSources.Options(
                properties.getJournalMode(), properties.getSynchronous(), properties.getBusyTimeout(),
                properties.getCacheSize(), maximumPoolSize));
    }
}
