package io.retryspool.codec;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.jdbc.JdbcDataStore;
import io.retryspool.storage.jdbc.RetrySpoolSchema;
import io.retryspool.storage.jdbc.SqliteDataSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.retryspool.codec.CodecTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Encrypted bodies are bound to their message: someone with write access to the database who swaps the stored
 * bodies of two messages (here with plain SQL on a real SQLite database) gets both rejected, instead of one
 * recipient's body being handed to the other's handler.
 */
class SwappedEncryptedBodiesTests {

    /** Two bodies of the same length, so that the recorded sizes cannot give the swap away. */
    private static final byte[] ALICE = "pay 100 EUR to the account of alice".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BOB = "pay 999 EUR to the account of bob..".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CAROL = "a body nobody touched".getBytes(StandardCharsets.UTF_8);

    private final EncryptionKeys keys = EncryptionKeys.of("k1", key(1));

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @BeforeEach
    void createDatabase() {
        pool = SqliteDataSources.create(directory.resolve("spool.db"));
        RetrySpoolSchema.migrate(pool);
    }

    @AfterEach
    void closeDatabase() {
        pool.close();
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void bodiesSwappedBetweenTwoMessagesInTheDatabaseFailToDecodeForBoth(EncryptionAlgorithm algorithm)
            throws IOException {
        DataStore store = new CodecDataStore(new JdbcDataStore(pool), List.of(new EncryptionCodec(keys, algorithm)));
        store.store("m-alice", new ByteArrayInputStream(ALICE));
        store.store("m-bob", new ByteArrayInputStream(BOB));
        assertThat(read(store, "m-alice")).isEqualTo(ALICE);

        swapStoredBodies("m-alice", "m-bob");

        for (String id : List.of("m-alice", "m-bob")) {
            assertThatThrownBy(() -> read(store, id)).as("reading message %s", id)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("could not decode the body of message " + id)
                    .hasMessageContaining("written for another message")
                    .hasCauseInstanceOf(BodyDecodingException.class);
        }

        swapStoredBodies("m-alice", "m-bob");
        assertThat(read(store, "m-alice")).as("swapped back").isEqualTo(ALICE);
        assertThat(read(store, "m-bob")).as("swapped back").isEqualTo(BOB);
    }

    @Test
    void aSpoolBouncesMessagesWhoseEncryptedBodiesWereSwappedAndNoHandlerSeesTheOtherBody() {
        Map<String, byte[]> readByHandler = new ConcurrentHashMap<>();
        Map<String, Integer> handlerRuns = new ConcurrentHashMap<>();
        try (RetrySpool spool = RetrySpool.builder()
                .jdbc(pool)
                .codec(new EncryptionCodec(keys))
                .pollInterval(Duration.ofMillis(20))
                .handler((context, message, body) -> {
                    handlerRuns.merge(message.id(), 1, Integer::sum);
                    readByHandler.put(message.id(), body.readAllBytes());
                })
                .build()) {
            String alice = spool.enqueue(Map.of(), ALICE);
            String bob = spool.enqueue(Map.of(), BOB);
            String carol = spool.enqueue(Map.of(), CAROL);
            swapStoredBodies(alice, bob);

            spool.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> readByHandler.containsKey(carol)
                    && state(spool, alice) == QueueState.BOUNCE && state(spool, bob) == QueueState.BOUNCE);
            for (String id : List.of(alice, bob)) {
                MessageMetadata bounced = spool.getMessage(id).metadata();
                assertThat(bounced.lastError()).as("last error of message %s", id)
                        .contains("could not decode the body of message " + id)
                        .contains("authentication failed").contains("written for another message");
                assertThat(bounced.attempts()).as("attempts of message %s", id).isEqualTo(1);
                assertThat(handlerRuns).as("handler runs").containsEntry(id, 1);
            }
            assertThat(readByHandler).as("bodies the handler read").containsOnlyKeys(carol);
            assertThat(readByHandler.get(carol)).isEqualTo(CAROL);
        }
    }

    /** Swaps the stored (encrypted) chunks of two messages, chunk by chunk, as an intruder with SQL access could. */
    private void swapStoredBodies(String first, String second) {
        JdbcTemplate jdbc = new JdbcTemplate(pool);
        String select = "SELECT data FROM retryspool_data WHERE message_id = ? ORDER BY chunk_no";
        List<byte[]> firstChunks = jdbc.queryForList(select, byte[].class, first);
        List<byte[]> secondChunks = jdbc.queryForList(select, byte[].class, second);
        assertThat(firstChunks).as("chunks of both bodies").isNotEmpty().hasSameSizeAs(secondChunks);
        String update = "UPDATE retryspool_data SET data = ? WHERE message_id = ? AND chunk_no = ?";
        for (int chunk = 0; chunk < firstChunks.size(); chunk++) {
            jdbc.update(update, secondChunks.get(chunk), first, chunk);
            jdbc.update(update, firstChunks.get(chunk), second, chunk);
        }
    }

    private static byte[] read(DataStore store, String id) throws IOException {
        try (InputStream body = store.openReader(id)) {
            return body.readAllBytes();
        }
    }

    private static QueueState state(RetrySpool spool, String id) {
        return spool.getMessage(id).metadata().state();
    }
}
