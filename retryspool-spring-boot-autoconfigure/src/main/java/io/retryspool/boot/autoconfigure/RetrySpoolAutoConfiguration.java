package io.retryspool.boot.autoconfigure;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.RetrySpool;
import io.retryspool.SpoolListener;
import io.retryspool.codec.Compression;
import io.retryspool.codec.DataCodec;
import io.retryspool.codec.DataCodecs;
import io.retryspool.codec.EncryptionCodec;
import io.retryspool.codec.EncryptionKeys;
import io.retryspool.handler.BounceHandler;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetrySpoolListeners;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.fs.FileSystemDataStore;
import io.retryspool.storage.jdbc.JdbcTables;
import io.retryspool.storage.jdbc.RetrySpoolSchema;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
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
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * Auto-configures a {@link RetrySpool}: its stores (a database by default — a dedicated pool, a DataSource
 * qualified with {@link RetrySpoolDataSource}, the application's DataSource, or an embedded SQLite file, in
 * that order), its schema, its typed listeners ({@code @RetrySpoolListener} methods of any bean, reading and writing
 * payloads with the application's {@link JsonMapper}), its handlers ({@link MessageHandler} beans; those annotated
 * {@link BounceHandler} handle bounces), {@link DelayWarningHandler} beans (in {@code @Order} order), named retry policies, codecs, the
 * scheduling of destinations ({@code retryspool.destinations.*}), and its lifecycle.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnClass(RetrySpool.class)
@ConditionalOnBooleanProperty(name = "retryspool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RetrySpoolProperties.class)
@Import({RetrySpoolShardsConfiguration.class, RetrySpoolJdbcStoreConfiguration.class})
public final class RetrySpoolAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RetrySpool retrySpool(RetrySpoolProperties properties, SpoolStore store,
                          ObjectProvider<RetrySpoolSchemaInitializer> schema, ListableBeanFactory beanFactory,
                          ObjectProvider<MessageHandler> handlers, ObjectProvider<RetrySpoolCustomizer> customizers,
                          ObjectProvider<SpoolListener> listeners,
                          ObjectProvider<DelayWarningHandler> delayWarningHandlers, Environment environment,
                          RetrySpoolListeners typedListeners, ObjectProvider<JsonMapper> jsonMapper) {
        DestinationLimitNames.check(environment);
        schema.ifAvailable(initializer -> log.debug("RetrySpool schema is ready"));
        try {
            RetrySpoolBuilder builder = RetrySpool.builder().listeners(typedListeners);
            jsonMapper.ifAvailable(builder::jsonMapper);
            return build(builder, properties, store, beanFactory, handlers, customizers, listeners, delayWarningHandlers);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw new RetrySpoolConfigurationException("RetrySpool could not be built as configured: " + ex.getMessage(),
                    "Check the retryspool.* properties, and the RetrySpoolCustomizer, RetryPolicy and MessageHandler "
                            + "beans that change the spool (docs/configuration.md).", ex);
        }
    }

    private static RetrySpool build(RetrySpoolBuilder builder, RetrySpoolProperties properties, SpoolStore store,
                                    ListableBeanFactory beanFactory, ObjectProvider<MessageHandler> handlers,
                                    ObjectProvider<RetrySpoolCustomizer> customizers,
                                    ObjectProvider<SpoolListener> listeners,
                                    ObjectProvider<DelayWarningHandler> delayWarningHandlers) {
        builder.store(store)
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
                .archiveRetention(properties.getArchive().getRetention())
                .delayWarning(properties.getDelayWarning())
                .exactCountLimit(properties.getExactCountLimit());
        if (properties.getInstanceId() != null) {
            builder.instanceId(properties.getInstanceId());
        }
        RetrySpoolProperties.Destinations destinations = properties.getDestinations();
        builder.destinationConcurrency(destinations.getConcurrency())
                .destinationFailureThreshold(destinations.getFailureThreshold())
                .destinationSuspend(destinations.getSuspend());
        destinations.getLimits().forEach((name, limit) -> {
            if (limit.getConcurrency() != null) {
                builder.destinationConcurrency(name, limit.getConcurrency());
            }
            if (limit.getRate() != null) {
                builder.destinationRate(name, limit.getRate());
            }
        });
        properties.getRetry().getPolicies().forEach((name, policy) -> {
            ExponentialRetryPolicy named = ExponentialRetryPolicy.ofIntervals(policy.getIntervals());
            builder.namedRetryPolicy(name, policy.getMaxAttempts() != null ? named.withMaxAttempts(policy.getMaxAttempts()) : named);
        });
        beanFactory.getBeansOfType(RetryPolicy.class).forEach(builder::namedRetryPolicy);
        codecs(properties.getData()).forEach(builder::codec);
        registerHandlers(builder, beanFactory, handlers);
        delayWarningHandlers.orderedStream().forEach(builder::delayWarningHandler);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static List<DataCodec> codecs(RetrySpoolProperties.Data data) {
        if (data.getCompression() == Compression.ZSTD && !ClassUtils.isPresent("com.github.luben.zstd.Zstd",
                RetrySpoolAutoConfiguration.class.getClassLoader())) {
            throw new RetrySpoolConfigurationException("retryspool.data.compression=zstd needs the library zstd-jni "
                    + "(com.github.luben:zstd-jni), which is not on the classpath.",
                    "Add com.github.luben:zstd-jni to the application's dependencies, or set "
                            + "retryspool.data.compression to gzip or none.");
        }
        String key = data.getEncryption().getKey();
        DataCodec encryption = key == null || key.isBlank() ? null
                : new EncryptionCodec(EncryptionKeys.ofBase64(key.trim()), data.getEncryption().getCipher());
        return DataCodecs.chain(data.getCompression(), encryption);
    }

    /** Registers handler beans in {@code @Order} order; those annotated {@link BounceHandler} as bounce handlers. */
    private static void registerHandlers(RetrySpoolBuilder builder, ListableBeanFactory beanFactory,
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

    /**
     * The registry of {@code @RetrySpoolListener} methods, filled by {@link RetrySpoolListenerRegistrar} as the
     * application's beans are created (also those created after the spool, such as listeners that inject it).
     */
    @Bean
    @ConditionalOnMissingBean
    RetrySpoolListeners retrySpoolListeners() {
        return new RetrySpoolListeners();
    }

    @Bean
    static RetrySpoolListenerRegistrar retrySpoolListenerRegistrar(ObjectProvider<RetrySpoolListeners> listeners) {
        return new RetrySpoolListenerRegistrar(listeners);
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
        SpoolStore retrySpoolStore(RetrySpoolProperties properties) {
            DataStore data = properties.getData().getStore() == RetrySpoolProperties.DataStoreType.FILESYSTEM
                    ? new FileSystemDataStore(Path.of(properties.getData().getPath())) : new InMemoryDataStore();
            return SpoolStore.of(new InMemoryMetaStore(), data);
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
