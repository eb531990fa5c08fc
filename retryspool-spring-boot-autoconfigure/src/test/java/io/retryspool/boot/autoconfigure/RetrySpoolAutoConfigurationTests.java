package io.retryspool.boot.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.handler.BounceHandler;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetrySpoolAutoConfigurationTests {

    @TempDir
    Path directory;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
                .withPropertyValues("retryspool.sqlite.path=" + directory.resolve("spool.db"),
                        "retryspool.worker.poll-interval=20ms");
    }

    @Test
    void withoutAnyDataSourceTheSpoolUsesAnEmbeddedSqliteFileAndStarts() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context.getBean(RetrySpoolJdbcConnection.class).origin())
                    .isEqualTo(RetrySpoolJdbcConnection.Origin.EMBEDDED_SQLITE);
            assertThat(context).doesNotHaveBean(DataSource.class);
            RetrySpool spool = context.getBean(RetrySpool.class);
            assertThat(spool.isRunning()).isTrue();
            String id = spool.enqueue(Map.of(), new byte[]{1});
            assertThat(spool.getMessage(id).metadata().state()).isIn(QueueState.INCOMING, QueueState.ACTIVE,
                    QueueState.BOUNCE);
            assertThat(directory.resolve("spool.db")).exists();
        });
    }

    @Test
    void applicationDataSourceIsUsedWhenItIsTheOnlyOne() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_app_ds", 4)) {
            runner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                    .withPropertyValues("spring.datasource.url=" + schema.jdbcUrl())
                    .run(context -> {
                        RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                        assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.APPLICATION);
                        assertThat(connection.dataSource()).isSameAs(context.getBean(DataSource.class));
                        String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[0]);
                        assertThat(new JdbcTemplate(schema.dataSource()).queryForObject(
                                "SELECT COUNT(*) FROM retryspool_messages WHERE id = ?", Long.class, id)).isEqualTo(1);
                    });
        }
    }

    @Test
    void dedicatedDatasourcePropertiesGiveRetrySpoolItsOwnPool() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_dedicated", 4)) {
            runner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                    .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("app.db"),
                            "retryspool.datasource.url=" + schema.jdbcUrl(),
                            "retryspool.datasource.maximum-pool-size=3")
                    .run(context -> {
                        RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                        assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.DEDICATED);
                        assertThat(connection.dataSource()).isNotSameAs(context.getBean(DataSource.class));
                        assertThat(((HikariDataSource) connection.dataSource()).getMaximumPoolSize()).isEqualTo(3);
                        context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[0]);
                        assertThat(new JdbcTemplate(schema.dataSource()).queryForObject(
                                "SELECT COUNT(*) FROM retryspool_messages", Long.class)).isEqualTo(1);
                    });
        }
    }

    @Test
    void dataSourceQualifiedForRetrySpoolWinsOverTheApplicationsPrimaryOne() {
        runner().withUserConfiguration(TwoDataSources.class).run(context -> {
            RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
            assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.QUALIFIED);
            assertThat(connection.dataSource()).isSameAs(context.getBean("spoolDataSource"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @TempDir
        static Path unused;

        @Bean(destroyMethod = "close")
        @Primary
        HikariDataSource appDataSource() {
            return io.retryspool.storage.jdbc.SqliteDataSources.create(Path.of(System.getProperty("java.io.tmpdir"),
                    "retryspool-app-" + System.nanoTime() + ".db"));
        }

        @Bean(destroyMethod = "close")
        @RetrySpoolDataSource
        HikariDataSource spoolDataSource() {
            return io.retryspool.storage.jdbc.SqliteDataSources.create(Path.of(System.getProperty("java.io.tmpdir"),
                    "retryspool-spool-" + System.nanoTime() + ".db"));
        }
    }

    @Test
    void disabledRetrySpoolDefinesNoBeans() {
        runner().withPropertyValues("retryspool.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RetrySpool.class);
            assertThat(context).doesNotHaveBean(SpoolStore.class);
            assertThat(context).doesNotHaveBean(RetrySpoolProperties.class);
        });
    }

    @Test
    void userDefinedSpoolStoresAndLifecycleReplaceTheAutoConfiguredOnes() {
        runner().withUserConfiguration(UserStores.class).run(context -> {
            assertThat(context.getBean(SpoolStore.class)).isSameAs(context.getBean(UserStores.class).store);
            assertThat(context).doesNotHaveBean(RetrySpoolJdbcConnection.class);
        });
        runner().withPropertyValues("retryspool.store=memory").withUserConfiguration(UserSpool.class).run(context -> {
            assertThat(context).hasSingleBean(RetrySpool.class);
            assertThat(context.getBean(RetrySpool.class)).isSameAs(context.getBean(UserSpool.class).spool);
        });
        runner().withPropertyValues("retryspool.store=memory").withUserConfiguration(UserLifecycle.class).run(context -> {
            assertThat(context).hasSingleBean(RetrySpoolLifecycle.class);
            assertThat(context.getBean(RetrySpool.class).isRunning()).isFalse();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStores {
        final SpoolStore store = SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore());

        @Bean
        SpoolStore myStore() {
            return store;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserSpool {
        final RetrySpool spool = RetrySpool.builder().metaStore(new InMemoryMetaStore())
                .dataStore(new InMemoryDataStore()).build();

        @Bean
        RetrySpool mySpool() {
            return spool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLifecycle {
        @Bean
        RetrySpoolLifecycle myLifecycle(RetrySpool spool) {
            return new RetrySpoolLifecycle(spool, false, Duration.ofSeconds(1));
        }
    }

    @Test
    void autoStartFalseLeavesTheWorkersStopped() {
        runner().withPropertyValues("retryspool.store=memory", "retryspool.auto-start=false")
                .run(context -> assertThat(context.getBean(RetrySpool.class).isRunning()).isFalse());
    }

    @Test
    void contextStartsWithoutFlywayOnTheClasspath() {
        runner().withPropertyValues("retryspool.store=memory")
                .withClassLoader(new FilteredClassLoader(Flyway.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(RetrySpool.class);
                    assertThat(context).doesNotHaveBean(RetrySpoolAutoConfiguration.RetrySpoolSchemaInitializer.class);
                });
    }

    @Test
    void flywayDisabledSkipsRetrySpoolsMigrations() {
        runner().withPropertyValues("retryspool.flyway.enabled=false", "retryspool.auto-start=false").run(context -> {
            assertThat(context).doesNotHaveBean(RetrySpoolAutoConfiguration.RetrySpoolSchemaInitializer.class);
            assertThat(context).hasSingleBean(RetrySpool.class);
        });
    }

    @Test
    void applicationFlywayRunsFirstAndBothHistoriesStayApart() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_flyway", 4)) {
            runner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
                    .withPropertyValues("spring.datasource.url=" + schema.jdbcUrl(),
                            "spring.flyway.locations=classpath:app-migrations")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        JdbcTemplate jdbc = new JdbcTemplate(schema.dataSource());
                        assertThat(jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success", String.class))
                                .containsExactly("1");
                        assertThat(jdbc.queryForList("SELECT version FROM retryspool_schema_history "
                                + "WHERE success AND version <> '0'", String.class)).containsExactly("1", "2", "3", "4", "5", "6", "7");
                        Instant appTable = jdbc.queryForObject("SELECT installed_on FROM flyway_schema_history "
                                + "WHERE version = '1'", java.sql.Timestamp.class).toInstant();
                        Instant spoolTables = jdbc.queryForObject("SELECT installed_on FROM retryspool_schema_history "
                                + "WHERE version = '1'", java.sql.Timestamp.class).toInstant();
                        assertThat(spoolTables).isAfterOrEqualTo(appTable);
                    });
        }
    }

    @Test
    void handlerBeansDeliverAndBounceHandlerBeansReceiveBounces() {
        runner().withPropertyValues("retryspool.store=memory").withUserConfiguration(Handlers.class).run(context -> {
            RetrySpool spool = context.getBean(RetrySpool.class);
            Handlers handlers = context.getBean(Handlers.class);

            String delivered = spool.enqueue(Map.of("kind", "ok"), "x".getBytes(StandardCharsets.UTF_8));
            String bounced = spool.enqueue(Map.of("kind", "reject"), "y".getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(20)).until(() -> handlers.bounces.contains(bounced));
            assertThat(handlers.deliveries).contains("first:" + delivered).doesNotContain("second:" + delivered);
            assertThat(handlers.bounces).containsExactly(bounced);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        final List<String> deliveries = new CopyOnWriteArrayList<>();
        final List<String> bounces = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        MessageHandler second() {
            return (context, message, body) -> deliveries.add("second:" + message.id());
        }

        @Bean
        @Order(1)
        MessageHandler first() {
            return (context, message, body) -> {
                deliveries.add("first:" + message.id());
                if ("reject".equals(message.metadata().headers().get("kind"))) {
                    throw new PermanentException("rejected");
                }
            };
        }

        @Bean
        @BounceHandler
        MessageHandler bounces() {
            return (context, message, body) -> bounces.add(message.id());
        }
    }

    @Test
    void customizersApplyInOrderAfterTheProperties() {
        runner().withPropertyValues("retryspool.store=memory", "retryspool.default-priority=7",
                        "retryspool.auto-start=false")
                .withUserConfiguration(Customizers.class).run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    String id = spool.enqueue(Map.of(), new byte[0]);
                    assertThat(spool.getMessage(id).metadata().priority()).isEqualTo(42);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        @Order(2)
        RetrySpoolCustomizer later() {
            return builder -> builder.defaultPriority(42);
        }

        @Bean
        @Order(1)
        RetrySpoolCustomizer earlier() {
            return builder -> builder.defaultPriority(1);
        }
    }

    @Test
    void namedRetryPoliciesComeFromPropertiesAndRetryPolicyBeans() {
        runner().withPropertyValues("retryspool.store=memory",
                        "retryspool.retry.policies.fast.intervals=7s,14s", "retryspool.retry.policies.fast.max-attempts=2")
                .withUserConfiguration(PolicyBean.class)
                .withBean("failing", MessageHandler.class, () -> (context, message, body) -> {
                    throw new IllegalStateException("down");
                })
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    String fast = spool.enqueue(EnqueueRequest.builder().body(new byte[0]).retryPolicy("fast").build());
                    String slow = spool.enqueue(EnqueueRequest.builder().body(new byte[0]).retryPolicy("slowPolicy").build());
                    await().atMost(Duration.ofSeconds(20)).until(() ->
                            spool.getMessage(fast).metadata().state() == QueueState.DEFERRED
                                    && spool.getMessage(slow).metadata().state() == QueueState.DEFERRED);
                    var fastMessage = spool.getMessage(fast).metadata();
                    var slowMessage = spool.getMessage(slow).metadata();
                    assertThat(Duration.between(fastMessage.updated(), fastMessage.nextRetry())).isEqualTo(Duration.ofSeconds(7));
                    assertThat(Duration.between(slowMessage.updated(), slowMessage.nextRetry())).isEqualTo(Duration.ofHours(3));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class PolicyBean {
        @Bean
        RetryPolicy slowPolicy() {
            return FixedRetryPolicy.of(Duration.ofHours(3));
        }
    }

    @Test
    void propertiesReachTheSpool() {
        runner().withPropertyValues("retryspool.store=memory", "retryspool.max-attempts=3",
                        "retryspool.default-priority=9", "retryspool.auto-start=false")
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    var metadata = spool.getMessage(spool.enqueue(Map.of(), new byte[0])).metadata();
                    assertThat(metadata.maxAttempts()).isEqualTo(3);
                    assertThat(metadata.priority()).isEqualTo(9);
                });
    }
}
