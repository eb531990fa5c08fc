package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
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
 * The spool's own DataSource comes from {@link RetrySpoolConnectionDetails}: a bean of that type (as a service
 * connection defines one) wins over {@code retryspool.datasource.*}, the properties still work alone, and without
 * either the spool keeps the application's DataSource.
 */
class RetrySpoolConnectionDetailsTests {

    @TempDir
    Path directory;

    private final List<String> delivered = new CopyOnWriteArrayList<>();

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, RetrySpoolAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + directory.resolve("app.db"),
                        "retryspool.sqlite.path=" + directory.resolve("spool.db"),
                        "retryspool.worker.poll-interval=20ms")
                .withBean("recording", MessageHandler.class,
                        () -> (context, message, body) -> delivered.add(message.metadata().id()));
    }

    @Test
    void aConnectionDetailsBeanGivesTheSpoolItsOwnPoolThatEnqueuesAndDeliversThere() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_details", 4)) {
            runner().withBean(RetrySpoolConnectionDetails.class, () -> details(schema.jdbcUrl()))
                    .run(context -> {
                        RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                        assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.DEDICATED);
                        assertThat(connection.dataSource()).isNotSameAs(context.getBean(DataSource.class));
                        String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{7});
                        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(id));
                        assertThat(spoolTables(schema)).isEqualTo(1);
                        assertThat(new JdbcTemplate(context.getBean(DataSource.class)).queryForObject(
                                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'retryspool_messages'", Integer.class))
                                .as("nothing of the spool in the application's database").isZero();
                    });
        }
    }

    @Test
    void aConnectionDetailsBeanWinsOverTheDatasourceProperties() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_details_wins", 4)) {
            runner().withBean(RetrySpoolConnectionDetails.class, () -> details(schema.jdbcUrl()))
                    .withPropertyValues("retryspool.datasource.url=jdbc:sqlite:" + directory.resolve("own.db"))
                    .run(context -> {
                        assertThat(context).hasSingleBean(RetrySpoolConnectionDetails.class)
                                .doesNotHaveBean(PropertiesRetrySpoolConnectionDetails.class);
                        String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{7});
                        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(id));
                        assertThat(spoolTables(schema)).isEqualTo(1);
                        assertThat(directory.resolve("own.db")).doesNotExist();
                    });
        }
    }

    @Test
    void theDatasourcePropertiesAloneBecomeTheConnectionDetails() {
        runner().withPropertyValues("retryspool.datasource.url=jdbc:sqlite:" + directory.resolve("own.db"),
                        "retryspool.datasource.username=spool")
                .run(context -> {
                    assertThat(context).hasSingleBean(PropertiesRetrySpoolConnectionDetails.class);
                    RetrySpoolConnectionDetails details = context.getBean(RetrySpoolConnectionDetails.class);
                    assertThat(details.getJdbcUrl()).isEqualTo("jdbc:sqlite:" + directory.resolve("own.db"));
                    assertThat(details.getUsername()).isEqualTo("spool");
                    assertThat(context.getBean(RetrySpoolJdbcConnection.class).origin())
                            .isEqualTo(RetrySpoolJdbcConnection.Origin.DEDICATED);
                    String id = context.getBean(RetrySpool.class).enqueue(Map.of(), new byte[]{7});
                    await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(id));
                    assertThat(directory.resolve("own.db")).exists();
                });
    }

    @Test
    void withoutPropertiesOrBeanTheSpoolKeepsTheApplicationsDataSourceAndDefinesNoConnectionDetails() {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(RetrySpoolConnectionDetails.class);
            RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
            assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.APPLICATION);
            assertThat(connection.dataSource()).isSameAs(context.getBean(DataSource.class));
        });
    }

    private static Integer spoolTables(TestPostgres.Schema schema) {
        return new JdbcTemplate(schema.dataSource()).queryForObject("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_name = 'retryspool_messages'", Integer.class, schema.name());
    }

    private static RetrySpoolConnectionDetails details(String jdbcUrl) {
        return new RetrySpoolConnectionDetails() {
            @Override
            public String getJdbcUrl() {
                return jdbcUrl;
            }

            @Override
            public String getUsername() {
                return "postgres";
            }

            @Override
            public String getPassword() {
                return null;
            }
        };
    }
}
