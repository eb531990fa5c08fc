package io.retryspool.boot.autoconfigure;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.storage.jdbc.JdbcTables;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads the spool over several databases when {@code retryspool.shards.<name>.*} is set (DESIGN §9): one pool and
 * one complete store per shard, its migrations applied at start-up (unless {@code retryspool.flyway.enabled=false}),
 * or, for a shard whose database does not answer then, once it does. Takes the place of every other choice of
 * database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "retryspool.store", havingValue = "jdbc", matchIfMissing = true)
@Conditional(RetrySpoolShardsConfiguration.ShardsConfigured.class)
@ConditionalOnMissingBean(SpoolStore.class)
class RetrySpoolShardsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RetrySpoolShardsConfiguration.class);

    @Bean(destroyMethod = "close")
    ShardPools retrySpoolShardPools(RetrySpoolProperties properties) {
        RetrySpoolConnections.requirePool("retryspool.shards");
        ShardPools pools = new ShardPools();
        properties.getShards().forEach((name, shard) -> pools.put(name, RetrySpoolDataSources.shard(name, shard)));
        return pools;
    }

    @Bean
    SpoolStore retrySpoolStore(ShardPools pools, RetrySpoolProperties properties) {
        boolean migrate = properties.getFlyway().isEnabled()
                && ClassUtils.isPresent("org.flywaydb.core.Flyway", getClass().getClassLoader());
        JdbcTables tables = new JdbcTables(properties.getJdbc().getMetaTable(), properties.getJdbc().getDataTable());
        List<Shard> shards = new ArrayList<>();
        List<String> described = new ArrayList<>();
        properties.getShards().forEach((name, shard) -> {
            shards.add(Shard.connecting(name, shard.getAffinity(),
                    () -> JdbcStore.builder(pools.get(name)).tables(tables).migrate(migrate).build()));
            described.add(name + " (" + withoutParameters(Objects.requireNonNull(shard.getUrl()).trim()) + ", affinity "
                    + shard.getAffinity() + ")");
        });
        log.info("RetrySpool uses {} shards: {}; enqueues do not join the application's transactions", shards.size(),
                String.join(", ", described));
        return ShardedStore.of(shards);
    }

    /** A JDBC URL without its parameters, which may hold credentials. */
    private static String withoutParameters(String url) {
        int parameters = url.indexOf('?');
        return parameters < 0 ? url : url.substring(0, parameters);
    }

    /** The shards' connection pools, by shard name; closed with the application context. */
    static final class ShardPools implements AutoCloseable {

        private final Map<String, DataSource> byName = new LinkedHashMap<>();

        void put(String name, DataSource pool) {
            byName.put(name, pool);
        }

        DataSource get(String name) {
            return Objects.requireNonNull(byName.get(name));
        }

        @Override
        public void close() throws Exception {
            for (DataSource pool : byName.values()) {
                ((AutoCloseable) pool).close();
            }
        }
    }

    /** Matches when at least one {@code retryspool.shards.<name>} is set. */
    static final class ShardsConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> shards = Binder.get(context.getEnvironment())
                    .bind("retryspool.shards", Bindable.mapOf(String.class, Object.class)).orElse(Map.of());
            return shards.isEmpty()
                    ? ConditionOutcome.noMatch("no retryspool.shards are set")
                    : ConditionOutcome.match("retryspool.shards names " + shards.keySet());
        }
    }
}
