package io.retryspool.storage.jdbc;

import io.retryspool.MessageMetadata;
import io.retryspool.StorageException;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.StoreResult;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.retryspool.storage.TestMessages.id;
import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A group of messages with in-memory bodies, stored on PostgreSQL in one statement: groups without idempotency
 * keys take the form without {@code ON CONFLICT}, and a clash sends them to the careful form, whose outcome is the
 * one they always had.
 */
class PostgresGroupInsertTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("group_insert", 4);

    private JdbcTemplate jdbc;
    private JdbcStore store;
    private MetaStore meta;
    private DataStore data;

    @BeforeEach
    void emptyStores() {
        DataSource dataSource = schema.emptied();
        jdbc = new JdbcTemplate(dataSource);
        store = JdbcStore.builder(dataSource).migrate(false).build();
        meta = store.meta();
        data = store.bodies();
    }

    @Test
    void aGroupWithoutIdempotencyKeysIsStoredWithItsBodies() {
        List<StoreResult> results = store(List.of(new NewMessage(metadata(1), null), new NewMessage(metadata(2), null)),
                "one", "two");

        assertThat(results).containsExactly(new StoreResult(id(1), true), new StoreResult(id(2), true));
        assertThat(meta.find(id(1))).isPresent();
        assertThat(body(id(1))).isEqualTo("one");
        assertThat(body(id(2))).isEqualTo("two");
    }

    @Test
    void anIdWhoseBodyIsStoredFailsTheWholeGroupAndStoresNothingOfIt() {
        store(List.of(new NewMessage(metadata(1), null)), "first");

        assertThatThrownBy(() -> store(List.of(new NewMessage(metadata(2), null), new NewMessage(metadata(1), null)),
                "two", "again"))
                .isInstanceOf(StorageException.class);

        assertThat(meta.find(id(2))).isEmpty();
        assertThat(rows("retryspool_data", id(2))).isZero();
        assertThat(body(id(1))).isEqualTo("first");
    }

    @Test
    void anIdTakenByMetadataAloneIsReportedForThatMessageWhileTheOthersAreStored() {
        meta.store(new NewMessage(metadata(1), null));

        assertThatThrownBy(() -> store(List.of(new NewMessage(metadata(2), null), new NewMessage(metadata(1), null)),
                "two", "again"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a message with id " + id(1) + " already exists");

        assertThat(meta.find(id(2))).isPresent();
        assertThat(body(id(2))).isEqualTo("two");
        assertThat(rows("retryspool_messages", id(1))).isOne();
    }

    @Test
    void aGroupWithAnIdempotencyKeyAlreadyHeldGetsTheHoldersIdForThatMessageOnly() {
        store(List.of(new NewMessage(metadata(1), "order-7")), "first");

        List<StoreResult> results = store(List.of(new NewMessage(metadata(2), null),
                new NewMessage(metadata(3), "order-7")), "two", "duplicate");

        assertThat(results).containsExactly(new StoreResult(id(2), true), new StoreResult(id(1), false));
        assertThat(body(id(2))).isEqualTo("two");
        assertThat(meta.find(id(3))).isEmpty();
        assertThat(rows("retryspool_data", id(3))).isZero();
    }

    private List<StoreResult> store(List<NewMessage> messages, String... bodies) {
        return store.storeAllWithBodies(messages,
                java.util.Arrays.stream(bodies).map(body -> body.getBytes(StandardCharsets.UTF_8)).toList());
    }

    private static MessageMetadata metadata(int n) {
        return message(n).maxAttempts(5).size(3).build();
    }

    private String body(String id) {
        try (InputStream in = data.openReader(id)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int rows(String table, String id) {
        String column = table.equals("retryspool_data") ? "message_id" : "id";
        Integer count = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + column + " = ?",
                Integer.class, id);
        return count == null ? 0 : count;
    }
}
