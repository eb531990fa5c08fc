package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.shard.ShardedStore;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.RetrySpoolProperties;
import io.retryspool.retry.RetryPolicy;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Serves the operator dashboard at {@code retryspool.dashboard.path} (default {@code /retryspool}) in a Spring MVC
 * application when {@code retryspool.dashboard.enabled=true}. Read-only unless {@code retryspool.dashboard.access=
 * unrestricted}; with Spring Security present, actions also need {@code retryspool.dashboard.write-role}.
 */
@AutoConfiguration(after = RetrySpoolAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RetrySpool.class, DispatcherServlet.class})
@ConditionalOnBean(RetrySpool.class)
@ConditionalOnBooleanProperty(name = "retryspool.dashboard.enabled")
@EnableConfigurationProperties(DashboardProperties.class)
public final class RetrySpoolDashboardAutoConfiguration {

    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** When the overview counts a message as delayed while delay warnings are off. */
    private static final Duration DEFAULT_DELAYED_AFTER = Duration.ofHours(1);

    @Bean
    DashboardChanges retrySpoolDashboardChanges() {
        return new DashboardChanges();
    }

    @Bean
    DashboardAccess retrySpoolDashboardAccess(DashboardProperties properties, Environment environment) {
        Binder binder = Binder.get(environment);
        String showValues = binder.bind("management.endpoint.retryspool.show-values", String.class).orElse(null);
        Set<String> roles = binder.bind("management.endpoint.retryspool.roles", Bindable.setOf(String.class))
                .orElse(Set.of());
        boolean security = ClassUtils.isPresent("org.springframework.security.core.Authentication",
                RetrySpoolDashboardAutoConfiguration.class.getClassLoader());
        return new DashboardAccess(properties, security, DashboardAccess.showValues(showValues), roles);
    }

    @Bean
    DashboardController retrySpoolDashboardController(RetrySpool spool, DashboardAccess access,
                                                      RetrySpoolProperties properties,
                                                      ListableBeanFactory beanFactory,
                                                      ObjectProvider<SpoolStore> store) {
        Set<String> policies = new TreeSet<>(properties.getRetry().getPolicies().keySet());
        policies.addAll(List.of(beanFactory.getBeanNamesForType(RetryPolicy.class)));
        Duration delayedAfter = properties.getDelayWarning().isZero() ? DEFAULT_DELAYED_AFTER
                : properties.getDelayWarning();
        ShardedStore shards = store.getIfAvailable() instanceof ShardedStore sharded ? sharded : null;
        return new DashboardController(spool, access, new ArrayList<>(policies), delayedAfter, Clock.systemUTC(),
                shards, properties.getExactCountLimit());
    }

    @Bean
    DashboardPages retrySpoolDashboardPages() {
        return new DashboardPages();
    }

    @Bean(destroyMethod = "close")
    DashboardEvents retrySpoolDashboardEvents(DashboardChanges changes, DashboardController controller) {
        return new DashboardEvents(changes, controller::overview, TICK, HEARTBEAT);
    }
}
