package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.QueueState;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
import io.retryspool.storage.NewMessage;
import io.retryspool.testing.MigratedMariaDbDatabase;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static io.retryspool.storage.TestMessages.T0;
import static io.retryspool.storage.TestMessages.at;
import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The destinations table on the enqueue path: every way of inserting messages creates the rows of their destinations in
 * the same transaction (so a rolled-back enqueue leaves neither, and a committed one is claimable at once), messages
 * without a destination create none, and a success of a healthy destination writes nothing.
 */
class DestinationEnqueueTests {

    @RegisterExtension
    static final MigratedPostgresSchema postgres = new MigratedPostgresSchema("destination_enqueue", 4);

    @RegisterExtension
    static final MigratedMariaDbDatabase mariadb = new MigratedMariaDbDatabase("destination_enqueue", 4);

    @TempDir
    Path directory;

    @Test
    void aRolledBackEnqueueOnPostgresLeavesNoDestinationAndACommittedOneIsClaimable() {
        rolledBackThenCommitted(postgres.emptied());
    }

    @Test
    void aRolledBackEnqueueOnSqliteLeavesNoDestinationAndACommittedOneIsClaimable() {
        try (HikariDataSource pool = SqliteDataSources.create(directory.resolve("enqueue.db"))) {
            RetrySpoolSchema.migrate(pool);
            rolledBackThenCommitted(pool);
        }
    }

    @Test
    void aRolledBackEnqueueOnMariaDbLeavesNoDestinationAndACommittedOneIsClaimable() {
        rolledBackThenCommitted(mariadb.emptied());
    }

    private void rolledBackThenCommitted(DataSource dataSource) {
        JdbcStore store = JdbcStore.builder(dataSource).migrate(false).build();
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            store.storeAllWithBodies(List.of(new NewMessage(message(1).destination("new.example").nextRetry(T0).build(),
                    null)), List.of(new byte[] {1}));
            store.meta().storeAll(List.of(new NewMessage(message(2).destination("other.example").nextRetry(T0).build(),
                    null)));
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");

        assertThat(destinationRows(dataSource)).isZero();
        assertThat(store.meta().claim(request())).isEmpty();

        transactions.executeWithoutResult(status -> store.storeAllWithBodies(List.of(new NewMessage(
                message(3).destination("new.example").nextRetry(T0).build(), null)), List.of(new byte[] {1})));

        assertThat(destinationRows(dataSource)).isEqualTo(1);
        assertThat(store.meta().claim(request())).extracting(claim -> claim.metadata().destination())
                .containsExactly("new.example");
    }

    @Test
    void theOneStatementGroupInsertOnPostgresCreatesItsDestinationsAndMessagesWithoutOneCreateNone() {
        DataSource dataSource = postgres.emptied();
        JdbcStore store = JdbcStore.builder(dataSource).migrate(false).build();

        store.storeAllWithBodies(List.of(new NewMessage(message(1).build(), null)), List.of(new byte[] {1}));
        assertThat(destinationRows(dataSource)).isZero();

        store.storeAllWithBodies(List.of(
                new NewMessage(message(2).destination("b.example").build(), null),
                new NewMessage(message(3).destination("a.example").build(), null),
                new NewMessage(message(4).destination("b.example").build(), "key-4"),
                new NewMessage(message(5).build(), null)), List.of(new byte[] {2}, new byte[] {3}, new byte[] {4},
                new byte[] {5}));

        assertThat(new JdbcTemplate(dataSource).queryForList("SELECT name FROM retryspool_messages_destinations"
                + " ORDER BY name", String.class)).containsExactly("a.example", "b.example");
    }

    @Test
    void aSuccessOfAHealthyDestinationWritesNothingOnPostgres() {
        DataSource dataSource = postgres.emptied();
        JdbcMetaStore meta = new JdbcMetaStore(dataSource);
        meta.storeAll(List.of(new NewMessage(message(1).destination("a.example").build(), null)));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String version = "SELECT xmin::text FROM retryspool_messages_destinations WHERE name = 'a.example'";
        String before = jdbc.queryForObject(version, String.class);

        meta.recordDestinationResults(List.of(new DestinationResult("a.example", true),
                new DestinationResult("a.example", true)), DestinationPolicy.DEFAULTS, at(10));

        assertThat(jdbc.queryForObject(version, String.class)).as("the row's version").isEqualTo(before);
    }

    private static ClaimRequest request() {
        return new ClaimRequest(EnumSet.of(QueueState.INCOMING), at(60), 10, "owner", Duration.ofMinutes(5));
    }

    private static long destinationRows(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM retryspool_messages_destinations",
                Long.class);
    }
}
