package io.retryspool.boot.autoconfigure.metrics;

import io.retryspool.storage.SpoolStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.RetrySpoolProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures {@link RetrySpoolMetrics} when Micrometer is present and the application has a
 * {@link MeterRegistry}. It runs before {@link RetrySpoolAutoConfiguration}, so the metrics bean is among the
 * {@code SpoolListener} beans that the auto-configured spool registers; it reaches the spool lazily, so
 * the two beans do not depend on each other at creation.
 */
@AutoConfiguration(before = RetrySpoolAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({RetrySpool.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "retryspool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RetrySpoolProperties.class)
public final class RetrySpoolMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RetrySpoolMetrics retrySpoolMetrics(ObjectProvider<RetrySpool> spool, RetrySpoolProperties properties) {
        return new RetrySpoolMetrics(spool::getIfAvailable, properties.getMetrics().getCountRefresh());
    }

    @Bean
    @ConditionalOnMissingBean
    RetrySpoolShardMetrics retrySpoolShardMetrics(ObjectProvider<SpoolStore> store, RetrySpoolProperties properties) {
        return new RetrySpoolShardMetrics(properties.getShards().keySet(), store::getIfAvailable);
    }
}
