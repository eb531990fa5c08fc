package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.EnqueueTransaction;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.RetrySpoolException;
import io.retryspool.StorageException;
import io.retryspool.testing.TcpRelay;
import io.retryspool.testing.TestPostgres;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.CannotCreateTransactionException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A database the spool cannot reach fails every API call with a {@link StorageException} that says what failed,
 * never with Spring's or the driver's exceptions, and the spool works again once the database is back.
 */
class DatabaseOutageTests {

    private static final Pattern HOST_AND_PORT = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/");

    @TempDir
    Path directory;

    @Test
    void everyCallDuringAPostgresOutageFailsWithAStorageExceptionAndTheSpoolRecoversAfterIt() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("outage", 1)) {
            Matcher matcher = HOST_AND_PORT.matcher(schema.jdbcUrl());
            assertThat(matcher.find()).as("a PostgreSQL URL with host and port: %s", schema.jdbcUrl()).isTrue();
            try (TcpRelay relay = TcpRelay.to(matcher.group(1), matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : 5432)) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(matcher.replaceFirst("jdbc:postgresql://127.0.0.1:" + relay.port() + "/"));
                config.setMaximumPoolSize(2);
                config.setConnectionTimeout(250);
                config.setValidationTimeout(250);
                try (HikariDataSource pool = new HikariDataSource(config);
                     RetrySpool spool = RetrySpool.builder().jdbc(pool).build()) {
                    String before = spool.enqueue(Map.of("a", "1"), stream("before the outage"));

                    relay.cut();
                    pool.getHikariPoolMXBean().softEvictConnections();

                    assertThatThrownBy(() -> spool.enqueue(Map.of("a", "2"), stream("during the outage")))
                            .isInstanceOf(StorageException.class)
                            .hasMessageStartingWith("could not begin a transaction (PostgreSQL): ")
                            .hasCauseInstanceOf(CannotCreateTransactionException.class);
                    assertFailsWithStorageException(() -> spool.enqueue(Map.of("a", "3"), bytes("during the outage")));
                    assertFailsWithStorageException(() -> spool.enqueueAll(List.of(
                            EnqueueRequest.builder().body(stream("streamed")).build())));
                    assertFailsWithStorageException(() -> {
                        try (EnqueueTransaction transaction = spool.beginEnqueue()) {
                            transaction.write(bytes("in a transaction"));
                            transaction.commit();
                        }
                    });
                    assertFailsWithStorageException(() -> spool.getMessage(before));
                    assertFailsWithStorageException(() -> spool.delete(before));
                    assertFailsWithStorageException(spool::counts);

                    relay.restore();
                    // Hikari backs off between connection attempts (up to seconds) after the failures
                    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(StorageException.class)
                            .until(() -> spool.count(QueueState.INCOMING) == 1);


                    String after = spool.enqueue(Map.of("a", "4"), stream("after the outage"));
                    assertThat(spool.count(QueueState.INCOMING)).as("only the messages enqueued outside the outage")
                            .isEqualTo(2);
                    assertThat(spool.getMessage(after).metadata().headers()).containsEntry("a", "4");
                    assertThat(spool.getMessage(before).metadata().headers()).containsEntry("a", "1");
                }
            }
        }
    }

    @Test
    void everyCallOnAClosedSqlitePoolFailsWithAStorageException() {
        HikariDataSource pool = SqliteDataSources.create(directory.resolve("spool.db"));
        try (RetrySpool spool = RetrySpool.builder().jdbc(pool).build()) {
            String id = spool.enqueue(Map.of(), bytes("x"));
            pool.close();

            assertThatThrownBy(() -> spool.enqueue(Map.of(), stream("streamed")))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith("could not begin a transaction (SQLite): ")
                    .hasCauseInstanceOf(CannotCreateTransactionException.class);
            assertFailsWithStorageException(() -> spool.enqueue(Map.of(), bytes("x")));
            assertFailsWithStorageException(() -> spool.delete(id));
            assertFailsWithStorageException(spool::counts);
        }
    }

    private static void assertFailsWithStorageException(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(StorageException.class).isInstanceOf(RetrySpoolException.class)
                .hasMessageStartingWith("could not ");
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
