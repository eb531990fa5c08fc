package io.retryspool.storage.jdbc;

import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 256 MiB body goes in and comes out byte-identical, through {@link JdbcDataStore} on SQLite and on
 * PostgreSQL and through the whole engine, in a child JVM ({@link LargeBodyMain}) whose heap is capped at
 * 128 MiB: the body can only get through if it is streamed in bounded memory.
 */
class LargeBodyTests {

    private static final long BODY_SIZE = 256L * 1024 * 1024;
    private static final String MAX_HEAP = "128m";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long SEED = 20260301L;

    @TempDir
    Path directory;

    @Test
    void jdbcDataStoreOnSqliteRoundTripsA256MiBBodyByteIdenticalWithin128MiBOfHeap() throws Exception {
        assertRoundTrip("datastore", "sqlite", directory.resolve("large.db").toString());
    }

    @Test
    void jdbcDataStoreOnPostgresRoundTripsA256MiBBodyByteIdenticalWithin128MiBOfHeap() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("large_body", 1)) {
            assertRoundTrip("datastore", "postgresql", schema.jdbcUrl());
        }
    }

    @Test
    void engineOnSqliteEnqueuesAndDeliversA256MiBBodyByteIdenticalWithin128MiBOfHeap() throws Exception {
        assertRoundTrip("engine", "sqlite", directory.resolve("large.db").toString());
    }

    @Test
    void engineOnPostgresEnqueuesAndDeliversA256MiBBodyByteIdenticalWithin128MiBOfHeap() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("large_body", 1)) {
            assertRoundTrip("engine", "postgresql", schema.jdbcUrl());
        }
    }

    private static long maxHeapMiB(ChildJvm child) {
        return child.outputLines().stream().filter(line -> line.startsWith("max heap "))
                .map(line -> Long.parseLong(line.substring("max heap ".length(), line.indexOf(" MiB"))))
                .findFirst().orElseThrow(() -> new AssertionError("the child did not report its heap limit"));
    }

    private void assertRoundTrip(String mode, String kind, String location) throws Exception {
        try (ChildJvm child = ChildJvm.start(directory.resolve(mode + "-" + kind + ".log"), MAX_HEAP, LargeBodyMain.class,
                mode, kind, location, Long.toString(BODY_SIZE), Long.toString(SEED))) {
            int exitCode = child.awaitExit(TIMEOUT);
            System.out.println(getClass().getSimpleName() + " " + mode + " on " + kind + ": " + child.describe());
            assertThat(exitCode).as(child.describe()).isZero();
            assertThat(child.outputLines()).as(child.describe()).contains("OK");
            assertThat(maxHeapMiB(child)).as("the child's heap limit, in MiB").isLessThanOrEqualTo(128);
        }
    }
}
