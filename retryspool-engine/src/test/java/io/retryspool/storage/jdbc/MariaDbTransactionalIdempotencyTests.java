package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idempotent enqueue inside the application's transaction on MariaDB, whose transactions are REPEATABLE READ by
 * default: when another transaction committed the same key after this one began reading, the enqueue returns the
 * message holding the key, as it does outside a transaction.
 */
class MariaDbTransactionalIdempotencyTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("outbox_keys", 4);

    @Test
    void aKeyCommittedByAnotherTransactionAfterThisOneBeganResolvesToTheMessageHoldingIt() throws Exception {
        database.emptied();
        try (HikariDataSource pool = database.pool(4);
             RetrySpool spool = RetrySpool.builder().jdbc(pool).migrate(false).build()) {
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
            JdbcTemplate jdbc = new JdbcTemplate(pool);

            String[] ids = transactions.execute(status -> {
                // the application reads first: its snapshot is taken here
                jdbc.queryForObject("SELECT COUNT(*) FROM retryspool_messages", Long.class);
                String other = CompletableFuture.supplyAsync(() -> spool.enqueue(request("order-7", "first")))
                        .orTimeout(30, TimeUnit.SECONDS).join();
                String mine = spool.enqueue(request("order-7", "second"));
                return new String[]{other, mine};
            });

            assertThat(ids[1]).as("the id of the message holding the key").isEqualTo(ids[0]);
            assertThat(spool.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        }
    }

    private static EnqueueRequest request(String key, String body) {
        return EnqueueRequest.builder().idempotencyKey(key).body(body.getBytes(StandardCharsets.UTF_8)).build();
    }
}
