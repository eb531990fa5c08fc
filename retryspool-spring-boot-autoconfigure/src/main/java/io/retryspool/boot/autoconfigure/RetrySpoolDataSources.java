package io.retryspool.boot.autoconfigure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.SqliteDataSources;

import java.nio.file.Path;

/** Builds the pools RetrySpool owns; loaded only when one is needed, so HikariCP stays optional otherwise. */
final class RetrySpoolDataSources {

    private RetrySpoolDataSources() {
    }

    static HikariDataSource dedicated(RetrySpoolProperties.Datasource properties) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(properties.getUrl());
        config.setUsername(properties.getUsername());
        config.setPassword(properties.getPassword());
        config.setMaximumPoolSize(properties.getMaximumPoolSize());
        if (properties.getMinimumIdle() != null) {
            config.setMinimumIdle(properties.getMinimumIdle());
        }
        config.setPoolName("retryspool");
        return new HikariDataSource(config);
    }

    static HikariDataSource embeddedSqlite(RetrySpoolProperties.Sqlite properties, int maximumPoolSize) {
        return SqliteDataSources.create(Path.of(properties.getPath()), new SqliteDataSources.Options(
                properties.getJournalMode(), properties.getSynchronous(), properties.getBusyTimeout(),
                properties.getCacheSize(), maximumPoolSize));
    }
}
