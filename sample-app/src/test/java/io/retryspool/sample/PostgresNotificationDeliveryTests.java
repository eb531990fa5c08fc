package io.retryspool.sample;

import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as its {@code postgres} profile runs it: RetrySpool on its own pool on PostgreSQL
 * ({@code retryspool.datasource.*}), here in a schema of its own, dropped when the application context closes. Skipped without a PostgreSQL, except
 * when CI=true.
 */
class PostgresNotificationDeliveryTests extends AbstractNotificationDeliveryTests {

    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("sample", 1);
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("retryspool.datasource.url", () -> schema.jdbcUrl());
    }

    @Test
    void spoolKeepsItsMessagesInThePostgresDatabase() {
        String id = send("heidi@example.com", Instant.now().plus(Duration.ofHours(1)));

        Integer rows = new JdbcTemplate(schema.dataSource())
                .queryForObject("SELECT count(*) FROM retryspool_messages WHERE id = ?", Integer.class, id);
        assertThat(rows).isEqualTo(1);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class DropSchemaWithTheContext {

        /** Drops the schema when the context closes, after the spool's workers stopped. */
        @Bean
        DisposableBean dropTestSchema() {
            return () -> schema.close();
        }
    }
}
