package io.retryspool.boot.autoconfigure;

import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With the application's DataSource, an enqueue joins the application's transaction (transactional outbox). */
class TransactionalEnqueueAutoConfigurationTests {

    @Test
    void enqueueInsideARolledBackApplicationTransactionLeavesNoMessage() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("boot_outbox", 4)) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                            DataSourceTransactionManagerAutoConfiguration.class, RetrySpoolAutoConfiguration.class))
                    .withPropertyValues("spring.datasource.url=" + schema.jdbcUrl(), "retryspool.auto-start=false")
                    .run(context -> {
                        RetrySpool spool = context.getBean(RetrySpool.class);
                        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
                        jdbc.execute("CREATE TABLE orders (id TEXT PRIMARY KEY)");
                        TransactionTemplate transactions = new TransactionTemplate(
                                context.getBean(PlatformTransactionManager.class));

                        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                            jdbc.update("INSERT INTO orders VALUES ('o-1')");
                            spool.enqueue(Map.of("order", "o-1"), new byte[]{1});
                            throw new IllegalStateException("declined");
                        })).hasMessage("declined");
                        String committed = transactions.execute(status -> {
                            jdbc.update("INSERT INTO orders VALUES ('o-2')");
                            return spool.enqueue(Map.of("order", "o-2"), new byte[]{2});
                        });

                        assertThat(jdbc.queryForList("SELECT id FROM orders", String.class)).containsExactly("o-2");
                        assertThat(jdbc.queryForList("SELECT id FROM retryspool_messages", String.class))
                                .containsExactly(committed);
                    });
        }
    }
}
