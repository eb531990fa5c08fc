package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.storage.jdbc.JdbcDatabase;
import io.retryspool.testing.TestMariaDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A MariaDB given as {@code retryspool.datasource.url} is a supported database: the spool gets a pool of its own on
 * it, migrates its tables there and delivers from it. Without MariaDB the test is skipped ({@link TestMariaDb}).
 */
class MariaDbDatasourceUrlTests {

    private TestMariaDb.Database database;

    @BeforeEach
    void createDatabase() {
        database = TestMariaDb.newDatabase("boot_datasource_url", 1);
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theSpoolRunsOnAMariaDbGivenByUrlAndDeliversAMessage() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
                .withUserConfiguration(RecordingHandler.class)
                .withPropertyValues("retryspool.datasource.url=" + database.jdbcUrl(),
                        "retryspool.worker.poll-interval=100ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RetrySpoolJdbcConnection connection = context.getBean(RetrySpoolJdbcConnection.class);
                    assertThat(connection.origin()).isEqualTo(RetrySpoolJdbcConnection.Origin.DEDICATED);
                    assertThat(JdbcDatabase.of(connection.dataSource()).product()).isEqualTo("MariaDB");

                    String id = context.getBean(RetrySpool.class).enqueue(Map.of("to", "mariadb"),
                            "hello".getBytes(StandardCharsets.UTF_8));

                    await().atMost(Duration.ofSeconds(30)).until(() -> RecordingHandler.delivered.contains(id));
                    assertThat(new JdbcTemplate(database.dataSource()).queryForObject(
                            "SELECT COUNT(*) FROM retryspool_schema_history WHERE success = 1", Integer.class))
                            .as("RetrySpool's migrations applied to the MariaDB database").isEqualTo(8);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingHandler {

        static final Set<String> delivered = ConcurrentHashMap.newKeySet();

        @Bean
        MessageHandler recordingHandler() {
            return (context, message, body) -> delivered.add(message.id());
        }
    }
}
