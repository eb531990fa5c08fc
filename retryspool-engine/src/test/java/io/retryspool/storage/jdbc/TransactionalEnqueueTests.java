package io.retryspool.storage.jdbc;

import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox: an enqueue inside the application's Spring transaction on the spool's DataSource
 * commits or rolls back with the application's own writes.
 */
class TransactionalEnqueueTests {

    private static TestPostgres.Schema schema;
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private RetrySpool spool;
    private TransactionTemplate transactions;
    private JdbcTemplate jdbc;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("outbox", 8);
        new JdbcTemplate(schema.dataSource()).execute("CREATE TABLE orders (id TEXT PRIMARY KEY)");
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @BeforeEach
    void startSpool() {
        jdbc = new JdbcTemplate(schema.dataSource());
        jdbc.execute("DROP TABLE IF EXISTS retryspool_messages, retryspool_messages_activity,"
                + " retryspool_messages_destinations, retryspool_data, retryspool_schema_history");
        jdbc.execute("TRUNCATE orders");
        transactions = new TransactionTemplate(new DataSourceTransactionManager(schema.dataSource()));
        spool = RetrySpool.builder().jdbc(schema.dataSource()).pollInterval(Duration.ofMillis(20))
                .handler((context, message, body) -> delivered.add(message.id())).build();
        spool.start();
    }

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void rolledBackBusinessTransactionLeavesNoMessage() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-1')");
            spool.enqueue(Map.of("order", "o-1"), "shipped".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class)).isZero();
        assertThat(spool.counts().values()).containsOnly(0L);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM retryspool_data", Long.class)).isZero();
        assertThat(delivered).isEmpty();
    }

    @Test
    void committedBusinessTransactionEnqueuesAndTheMessageIsDelivered() {
        String id = transactions.execute(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-2')");
            return spool.enqueue(Map.of("order", "o-2"), "shipped".getBytes(StandardCharsets.UTF_8));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(id));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class)).isEqualTo(1);
        assertThat(spool.count(QueueState.INCOMING)).isZero();
    }

    @Test
    void aNestedTransactionRolledBackToItsSavepointTakesItsEnqueueBackAndTheOuterOneCommitsTheRest() {
        TransactionTemplate nested = new TransactionTemplate(transactions.getTransactionManager());
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);

        String kept = transactions.execute(status -> {
            jdbc.update("INSERT INTO orders (id) VALUES ('o-3')");
            assertThatThrownBy(() -> nested.executeWithoutResult(inner -> {
                spool.enqueue(Map.of("order", "o-3", "step", "nested"), new byte[]{1});
                throw new IllegalStateException("the nested step failed");
            })).hasMessage("the nested step failed");
            return spool.enqueue(Map.of("order", "o-3"), "shipped".getBytes(StandardCharsets.UTF_8));
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(kept));
        assertThat(delivered).containsExactly(kept);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM retryspool_messages", Long.class))
                .as("only the outer enqueue's row, archived or deleted after delivery").isLessThanOrEqualTo(1);
    }

    @Test
    void anEnqueueJoinsATransactionThatWritesWithJdbcClient() {
        JdbcClient client = JdbcClient.create(schema.dataSource());

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            client.sql("INSERT INTO orders (id) VALUES (?)").param("o-4").update();
            spool.enqueue(Map.of("order", "o-4"), "shipped".getBytes(StandardCharsets.UTF_8));
            client.sql("INSERT INTO orders (id) VALUES (?)").param("o-5").update();
            throw new IllegalStateException("payment declined");
        })).hasMessage("payment declined");

        assertThat(client.sql("SELECT COUNT(*) FROM orders").query(Long.class).single()).isZero();
        assertThat(spool.counts().values()).containsOnly(0L);
        assertThat(delivered).isEmpty();
    }

    @Test
    void messageEnqueuedInAnOpenTransactionIsInvisibleToWorkersUntilCommit() throws InterruptedException {
        String id = transactions.execute(status -> {
            String enqueued = spool.enqueue(Map.of(), "later".getBytes(StandardCharsets.UTF_8));
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(delivered).doesNotContain(enqueued);
            return enqueued;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(id));
    }

    @Test
    void anEnqueueInsideATransactionOnAnotherDatabaseCommitsOnItsOwnAndLeavesThatTransactionAlone() {
        try (TestPostgres.Schema other = TestPostgres.newSchema("outbox_other", 2)) {
            JdbcTemplate otherJdbc = new JdbcTemplate(other.dataSource());
            otherJdbc.execute("CREATE TABLE invoices (id TEXT PRIMARY KEY)");
            TransactionTemplate otherTransactions = new TransactionTemplate(
                    new DataSourceTransactionManager(other.dataSource()));
            AtomicReference<String> enqueued = new AtomicReference<>();

            assertThatThrownBy(() -> otherTransactions.executeWithoutResult(status -> {
                otherJdbc.update("INSERT INTO invoices (id) VALUES ('i-1')");
                enqueued.set(spool.enqueue(Map.of("invoice", "i-1"), "sent".getBytes(StandardCharsets.UTF_8)));
                throw new IllegalStateException("invoice rejected");
            })).hasMessage("invoice rejected");

            assertThat(otherJdbc.queryForObject("SELECT COUNT(*) FROM invoices", Long.class))
                    .as("the other database's transaction rolled back").isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains(enqueued.get()));
        }
    }
}
