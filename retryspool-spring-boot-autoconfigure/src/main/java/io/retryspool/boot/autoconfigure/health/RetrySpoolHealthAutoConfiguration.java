package io.retryspool.boot.autoconfigure.health;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.shard.ShardedStore;
import org.springframework.beans.factory.ObjectProvider;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.RetrySpoolProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures {@link RetrySpoolHealthIndicator} as the health contributor {@code retryspool} when
 * Spring Boot's health support is present, there is a {@link RetrySpool} bean and
 * {@code management.health.retryspool.enabled} is not false.
 */
@AutoConfiguration(after = RetrySpoolAutoConfiguration.class)
@ConditionalOnClass({RetrySpool.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(RetrySpool.class)
@ConditionalOnBooleanProperty(name = "retryspool.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("retryspool")
@EnableConfigurationProperties(RetrySpoolProperties.class)
public final class RetrySpoolHealthAutoConfiguration {

    /** The bean name; Boot drops the {@code HealthIndicator} suffix, so the contributor is {@code retryspool}. */
    static final String BEAN_NAME = "retryspoolHealthIndicator";

    @Bean(BEAN_NAME)
    @ConditionalOnMissingBean(value = RetrySpoolHealthIndicator.class, name = BEAN_NAME)
    RetrySpoolHealthIndicator retryspoolHealthIndicator(RetrySpool retrySpool, RetrySpoolProperties properties,
                                                        ObjectProvider<SpoolStore> store) {
        RetrySpoolHealthIndicator indicator = new RetrySpoolHealthIndicator(retrySpool, properties.isAutoStart());
        if (store.getIfAvailable() instanceof ShardedStore sharded) {
            indicator.withShards(sharded, properties.getExactCountLimit());
        }
        return indicator;
    }
}
