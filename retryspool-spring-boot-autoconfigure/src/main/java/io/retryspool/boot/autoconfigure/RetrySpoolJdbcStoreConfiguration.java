package io.retryspool.boot.autoconfigure;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.fs.FileSystemDataStore;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.storage.jdbc.JdbcDatabase;
import io.retryspool.storage.jdbc.JdbcTables;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * Keeps messages in a database ({@code retryspool.store=jdbc}, the default), unless the application defines its own
 * {@link SpoolStore}. Which database is decided by conditions, one nested configuration per case of DESIGN §5,
 * so that Boot's condition report shows the choice and why: a {@link RetrySpoolConnectionDetails} bean or
 * {@code retryspool.datasource.url}, a DataSource qualified
 * {@link RetrySpoolDataSource}, the application's single DataSource candidate (when RetrySpool supports its database),
 * or the embedded SQLite file; several candidates with none chosen fail start-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "retryspool.store", havingValue = "jdbc", matchIfMissing = true)
@ConditionalOnMissingBean(SpoolStore.class)
class RetrySpoolJdbcStoreConfiguration {

    /** The store of the chosen database; its schema is migrated by {@link #retrySpoolSchemaInitializer}. */
    @Bean
    SpoolStore retrySpoolStore(RetrySpoolJdbcConnection connection, RetrySpoolProperties properties) {
        JdbcStore.Builder store = JdbcStore.builder(connection.dataSource()).tables(tables(properties)).migrate(false);
        if (properties.getData().getStore() == RetrySpoolProperties.DataStoreType.FILESYSTEM) {
            store.bodies(new FileSystemDataStore(Path.of(properties.getData().getPath())));
        }
        return store.build();
    }

    @Bean
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnBooleanProperty(name = "retryspool.flyway.enabled", matchIfMissing = true)
    @DependsOnDatabaseInitialization
    RetrySpoolAutoConfiguration.RetrySpoolSchemaInitializer retrySpoolSchemaInitializer(
            RetrySpoolJdbcConnection connection, RetrySpoolProperties properties) {
        return new RetrySpoolAutoConfiguration.RetrySpoolSchemaInitializer(connection.dataSource(), tables(properties));
    }

    private static JdbcTables tables(RetrySpoolProperties properties) {
        return new JdbcTables(properties.getJdbc().getMetaTable(), properties.getJdbc().getDataTable());
    }

    /**
     * (1) A {@link RetrySpoolConnectionDetails} bean (a service connection), or {@code retryspool.datasource.url}: a pool
     * of its own; a {@code jdbc:sqlite:} URL gets the embedded tuning.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRetrySpoolDatabase(DatabaseChoice.DEDICATED)
    static class DedicatedPoolConfiguration {

        @Bean
        @ConditionalOnMissingBean(RetrySpoolConnectionDetails.class)
        PropertiesRetrySpoolConnectionDetails retrySpoolConnectionDetails(RetrySpoolProperties properties) {
            return new PropertiesRetrySpoolConnectionDetails(properties.getDatasource());
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RetrySpoolJdbcConnection retrySpoolJdbcConnection(RetrySpoolConnectionDetails connectionDetails,
                                                          RetrySpoolProperties properties) {
            return RetrySpoolConnections.dedicated(connectionDetails, properties);
        }
    }

    /** (2) The DataSource bean qualified {@link RetrySpoolDataSource}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRetrySpoolDatabase(DatabaseChoice.QUALIFIED)
    static class QualifiedDataSourceConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RetrySpoolJdbcConnection retrySpoolJdbcConnection(@RetrySpoolDataSource ObjectProvider<DataSource> qualified,
                                                          ConfigurableListableBeanFactory beanFactory) {
            DataSourceCandidates candidates = DataSourceCandidates.of(beanFactory);
            String name = candidates.qualified().get(0);
            return RetrySpoolConnections.qualified(qualified.getObject(), name, name.equals(candidates.single()));
        }
    }

    /** (3) The application's single DataSource candidate, or the embedded file when its database is not supported. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRetrySpoolDatabase(DatabaseChoice.APPLICATION)
    static class ApplicationDataSourceConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RetrySpoolJdbcConnection retrySpoolJdbcConnection(ConfigurableListableBeanFactory beanFactory,
                                                          RetrySpoolProperties properties) {
            String name = Objects.requireNonNull(DataSourceCandidates.of(beanFactory).single());
            DataSource application = beanFactory.getBean(name, DataSource.class);
            JdbcDatabase database = JdbcDatabase.of(application);
            if (!database.isSupported()) {
                return RetrySpoolConnections.embeddedInsteadOf(properties, name, database);
            }
            return RetrySpoolConnections.application(application, name, database);
        }
    }

    /** Several DataSource candidates and none chosen: start-up fails with a report that names them and the fix. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRetrySpoolDatabase(DatabaseChoice.AMBIGUOUS)
    static class AmbiguousDataSourcesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RetrySpoolJdbcConnection retrySpoolJdbcConnection(ConfigurableListableBeanFactory beanFactory) {
            throw RetrySpoolConnections.ambiguous(DataSourceCandidates.of(beanFactory));
        }
    }

    /** (4) No DataSource at all: the embedded SQLite file. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRetrySpoolDatabase(DatabaseChoice.EMBEDDED)
    static class EmbeddedSqliteConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RetrySpoolJdbcConnection retrySpoolJdbcConnection(RetrySpoolProperties properties) {
            return RetrySpoolConnections.embedded(properties);
        }
    }
}
