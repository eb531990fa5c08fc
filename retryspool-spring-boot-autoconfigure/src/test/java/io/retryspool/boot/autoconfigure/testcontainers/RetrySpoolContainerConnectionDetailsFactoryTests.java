package io.retryspool.boot.autoconfigure.testcontainers;

import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.boot.autoconfigure.RetrySpoolConnectionDetails;
import io.retryspool.boot.autoconfigure.RetrySpoolJdbcConnection;
import io.retryspool.handler.MessageHandler;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RetrySpoolContainerConnectionDetailsFactory} through Boot's own service-connection machinery (the factory
 * found in {@code spring.factories}, the container a {@code @ServiceConnection} bean), with a container that stands
 * for one: no Docker engine is needed, the "container" reports the URL of the tests' PostgreSQL.
 */
class RetrySpoolContainerConnectionDetailsFactoryTests {

    private static final List<String> delivered = new CopyOnWriteArrayList<>();

    @TempDir
    Path directory;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
                        DataSourceAutoConfiguration.class, RetrySpoolAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("app.db"),
                        "retryspool.sqlite.path=" + directory.resolve("spool.db"),
                        "retryspool.worker.poll-interval=20ms")
                .withBean("recording", MessageHandler.class,
                        () -> (context, message, body) -> delivered.add(message.metadata().id()));
    }

    @Test
    void aContainerNamedRetrySpoolBecomesTheSpoolsOwnDatabaseWhichEnqueuesAndDelivers() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("tc_service", 4)) {
            runner().withUserConfiguration(SpoolContainer.class)
                    .withBean("schemaUrl", String.class, schema::jdbcUrl)
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(RetrySpoolConnectionDetails.class);
                        assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl())
                                .as("the application keeps its own database").startsWith("jdbc:sqlite:");
                        assertThat(context.getBean(RetrySpoolConnectionDetails.class).getJdbcUrl())
                                .isEqualTo(schema.jdbcUrl());
                        RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                        assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.DEDICATED);
                        assertThat(connection.dataSource()).isNotSameAs(context.getBean(DataSource.class));
                        String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{1});
                        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(id));
                        assertThat(new JdbcTemplate(schema.dataSource()).queryForObject(
                                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? "
                                        + "AND table_name = 'retryspool_messages'", Integer.class, schema.name()))
                                .isEqualTo(1);
                    });
        }
    }

    @Test
    void aDatabaseContainerNotNamedForTheSpoolStaysTheApplicationsOwn() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("tc_app", 4)) {
            runner().withBean("schemaUrl", String.class, schema::jdbcUrl)
                    .withUserConfiguration(ApplicationContainer.class)
                    .run(context -> {
                        assertThat(context).hasNotFailed().doesNotHaveBean(RetrySpoolConnectionDetails.class);
                        assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl()).isEqualTo(schema.jdbcUrl());
                        RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                        assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.APPLICATION);
                        assertThat(connection.dataSource()).isSameAs(context.getBean(DataSource.class));
                    });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SpoolContainer {

        @Bean
        @ServiceConnection(name = "retryspool", type = RetrySpoolConnectionDetails.class)
        LocalPostgresContainer retrySpoolDatabase(String schemaUrl) {
            return new LocalPostgresContainer(schemaUrl);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ApplicationContainer {

        @Bean
        @ServiceConnection
        LocalPostgresContainer applicationDatabase(String schemaUrl) {
            return new LocalPostgresContainer(schemaUrl);
        }
    }
}
