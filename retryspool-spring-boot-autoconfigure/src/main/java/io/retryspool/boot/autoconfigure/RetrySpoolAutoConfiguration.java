package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import io.retryspool.SpoolListener;
import io.retryspool.codec.DataCodec;
import io.retryspool.codec.DataCodecs;
import io.retryspool.codec.EncryptionCodec;
import io.retryspool.codec.EncryptionKeys;
import io.retryspool.handler.BounceHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.StoreTransactions;
import io.retryspool.storage.fs.FileSystemDataStore;
import io.retryspool.storage.jdbc.JdbcDataStore;
import io.retryspool.storage.jdbc.JdbcMetaStore;
import io.retryspool.storage.jdbc.JdbcStoreTransactions;
import io.retryspool.storage.jdbc.JdbcTables;
import io.retryspool.storage.jdbc.RetrySpoolSchema;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * Auto-configures a {@link RetrySpool}: its stores (a database by default — a dedicated pool, a DataSource
 * qualified with {@link RetrySpoolDataSource}, the application's DataSource, or an embedded SQLite file, in
 * that order), its schema, its handlers ({@link MessageHandler} beans; those annotated {@link BounceHandler}
 * handle bounces), named retry policies, codecs, and its lifecycle.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnClass(RetrySpool.class)
@ConditionalOnBooleanProperty(name = "retryspool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RetrySpoolProperties.class)
public final class RetrySpoolAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RetrySpool retrySpool(RetrySpoolProperties properties, RetrySpoolStores stores,
                          ObjectProvider<RetrySpoolSchemaInitializer> schema, ListableBeanFactory beanFactory,
                          ObjectProvider<MessageHandler> handlers, ObjectProvider<RetrySpoolCustomizer> customizers,
                          ObjectProvider<SpoolListener> listeners) {
        schema.ifAvailable(initializer -> log.debug("RetrySpool schema is ready"));
        RetrySpool.Builder builder = RetrySpool.builder()
                .metaStore(stores.metaStore())
                .dataStore(stores.dataStore())
                .transactions(stores.transactions())
                .maxAttempts(properties.getMaxAttempts())
                .defaultPriority(properties.getDefaultPriority())
                .concurrency(properties.getWorker().getConcurrency())
                .batchSize(properties.getWorker().getBatchSize())
                .pollInterval(properties.getWorker().getPollInterval())
                .leaseTimeout(properties.getWorker().getLeaseTimeout())
                .shutdownGrace(properties.getWorker().getShutdownGrace())
                .attemptTimeout(properties.getWorker().getAttemptTimeout())
                .maxLifetime(properties.getRetry().getMaxLifetime())
                .retryPolicy(ExponentialRetryPolicy.ofIntervals(properties.getRetry().getIntervals()))
                .archiveSuccess(properties.getArchive().isSuccess())
                .archiveBounce(properties.getArchive().isBounce())
                .archiveRetention(properties.getArchive().getRetention());
        if (properties.getInstanceId() != null) {
            builder.instanceId(properties.getInstanceId());
        }
        properties.getRetry().getPolicies().forEach((name, policy) -> {
            ExponentialRetryPolicy named = ExponentialRetryPolicy.ofIntervals(policy.getIntervals());
            builder.namedRetryPolicy(name, policy.getMaxAttempts() != null ? named.withMaxAttempts(policy.getMaxAttempts()) : named);
        });
        beanFactory.getBeansOfType(RetryPolicy.class).forEach(builder::namedRetryPolicy);
        codecs(properties.getData()).forEach(builder::codec);
        registerHandlers(builder, beanFactory, handlers);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static List<DataCodec> codecs(RetrySpoolProperties.Data data) {
        String key = data.getEncryption().getKey();
        DataCodec encryption = key == null || key.isBlank() ? null
                : new EncryptionCodec(EncryptionKeys.ofBase64(key.trim()), data.getEncryption().getCipher());
        return DataCodecs.chain(data.getCompression(), encryption);
    }

    /** Registers handler beans in {@code @Order} order; those annotated {@link BounceHandler} as bounce handlers. */
    private static void registerHandlers(RetrySpool.Builder builder, ListableBeanFactory beanFactory,
                                         ObjectProvider<MessageHandler> handlers) {
        Set<Object> bounceHandlers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : beanFactory.getBeanNamesForType(MessageHandler.class)) {
            if (beanFactory.findAnnotationOnBean(name, BounceHandler.class) != null) {
                bounceHandlers.add(beanFactory.getBean(name));
            }
        }
        handlers.orderedStream().forEach(handler -> {
            if (bounceHandlers.contains(handler)) {
                builder.bounceHandler(handler);
            } else {
                builder.handler(handler);
            }
        });
    }

    @Bean
    @ConditionalOnMissingBean
    RetrySpoolLifecycle retrySpoolLifecycle(RetrySpool retrySpool, RetrySpoolProperties properties) {
        return new RetrySpoolLifecycle(retrySpool, properties.isAutoStart(), properties.getWorker().getShutdownGrace());
    }

    /** Runs handlers on virtual threads when the application enables them (Java 21+). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnThreading(Threading.VIRTUAL)
    static class VirtualThreadsConfiguration {

        @Bean
        @Order(0)
        RetrySpoolCustomizer retrySpoolVirtualThreadsCustomizer() {
            ThreadFactory factory = VirtualThreads.factory("retryspool-worker-");
            return builder -> builder.threadFactory(factory);
        }
    }

    /** Keeps everything in memory ({@code retryspool.store=memory}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "retryspool.store", havingValue = "memory")
    static class MemoryStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RetrySpoolStores retrySpoolStores(RetrySpoolProperties properties) {
            DataStore data = properties.getData().getStore() == RetrySpoolProperties.DataStoreType.FILESYSTEM
                    ? new FileSystemDataStore(Path.of(properties.getData().getPath())) : new InMemoryDataStore();
            return new RetrySpoolStores(new InMemoryMetaStore(), data, StoreTransactions.NONE);
        }
    }

    /**
     * Keeps messages in a database ({@code retryspool.store=jdbc}, the default), unless the application
     * defines its own {@link RetrySpoolStores}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "retryspool.store", havingValue = "jdbc", matchIfMissing = true)
    @ConditionalOnMissingBean(RetrySpoolStores.class)
    static class JdbcStoreConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RetrySpoolJdbcConnection retrySpoolJdbcConnection(RetrySpoolProperties properties,
                                                          @RetrySpoolDataSource ObjectProvider<DataSource> qualified,
                                                          ObjectProvider<DataSource> applicationDataSources) {
            RetrySpoolProperties.Datasource dedicated = properties.getDatasource();
            if (dedicated.getUrl() != null && !dedicated.getUrl().isBlank()) {
                var pool = RetrySpoolDataSources.dedicated(dedicated);
                log.info("RetrySpool uses its own pool on {}", dedicated.getUrl());
                return new RetrySpoolJdbcConnection(pool, RetrySpoolJdbcConnection.Origin.DEDICATED, pool);
            }
            DataSource marked = qualified.getIfUnique();
            if (marked != null) {
                return new RetrySpoolJdbcConnection(marked, RetrySpoolJdbcConnection.Origin.QUALIFIED, null);
            }
            DataSource application = applicationDataSources.getIfUnique();
            if (application != null) {
                return new RetrySpoolJdbcConnection(application, RetrySpoolJdbcConnection.Origin.APPLICATION, null);
            }
            var pool = RetrySpoolDataSources.embeddedSqlite(properties.getSqlite(), properties.getWorker().getConcurrency() + 2);
            log.info("RetrySpool uses the embedded SQLite database {}", Path.of(properties.getSqlite().getPath()).toAbsolutePath());
            return new RetrySpoolJdbcConnection(pool, RetrySpoolJdbcConnection.Origin.EMBEDDED_SQLITE, pool);
        }

        @Bean
        RetrySpoolStores retrySpoolStores(RetrySpoolJdbcConnection connection, RetrySpoolProperties properties) {
            DataSource dataSource = connection.dataSource();
            JdbcTables tables = tables(properties);
            if (properties.getData().getStore() == RetrySpoolProperties.DataStoreType.FILESYSTEM) {
                return new RetrySpoolStores(new JdbcMetaStore(dataSource, tables),
                        new FileSystemDataStore(Path.of(properties.getData().getPath())), StoreTransactions.NONE);
            }
            return new RetrySpoolStores(new JdbcMetaStore(dataSource, tables),
                    new JdbcDataStore(dataSource, tables, JdbcDataStore.DEFAULT_CHUNK_SIZE, Clock.systemUTC()),
                    new JdbcStoreTransactions(dataSource));
        }

        @Bean
        @ConditionalOnClass(Flyway.class)
        @ConditionalOnBooleanProperty(name = "retryspool.flyway.enabled", matchIfMissing = true)
        @DependsOnDatabaseInitialization
        RetrySpoolSchemaInitializer retrySpoolSchemaInitializer(RetrySpoolJdbcConnection connection,
                                                                RetrySpoolProperties properties) {
            return new RetrySpoolSchemaInitializer(connection.dataSource(), tables(properties));
        }

        private static JdbcTables tables(RetrySpoolProperties properties) {
            return new JdbcTables(properties.getJdbc().getMetaTable(), properties.getJdbc().getDataTable());
        }
    }

    /**
     * Applies RetrySpool's own Flyway migrations (own history table) when created: after the application's
     * Flyway, Liquibase or {@code schema.sql}, and before the spool is used.
     */
    public static final class RetrySpoolSchemaInitializer implements InitializingBean {

        private final DataSource dataSource;
        private final JdbcTables tables;

        RetrySpoolSchemaInitializer(DataSource dataSource, JdbcTables tables) {
            this.dataSource = dataSource;
            this.tables = tables;
        }

        @Override
        public void afterPropertiesSet() {
            RetrySpoolSchema.migrate(dataSource, tables);
        }
    }
}
