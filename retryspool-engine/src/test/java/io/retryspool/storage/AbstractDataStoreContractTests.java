package io.retryspool.storage;

import io.retryspool.StorageException;
import io.retryspool.testing.Concurrently;
import io.retryspool.testing.GeneratedBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.retryspool.storage.TestMessages.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The contract every {@link DataStore} fulfils. A backend's test class extends this one and implements
 * {@link #createStore()}; every test starts from an empty store. Ids are unique, so what storing a second
 * body under one id does is not part of the contract.
 */
public abstract class AbstractDataStoreContractTests {

    /** Large enough to span several chunks of a chunking store (1 MiB by default), and not a multiple of one. */
    private static final long LARGE_BODY = 3L * 1024 * 1024 + 4_321;

    private DataStore store;

    /**
     * Creates the store under test. It must be empty.
     *
     * @return an empty store
     */
    protected abstract DataStore createStore();

    /**
     * Releases what {@link #createStore()} set up; called after every test. Does nothing by default.
     *
     * @param store the store the test used
     * @throws Exception if cleaning up fails
     */
    protected void destroyStore(DataStore store) throws Exception {
    }

    /**
     * Returns the store under test, for tests that a subclass adds.
     *
     * @return the store
     */
    protected final DataStore store() {
        return store;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    @AfterEach
    void destroyStoreUnderTest() throws Exception {
        destroyStore(store);
    }

    // ---------------------------------------------------------------- store and openReader

    @Test
    void storeReturnsTheNumberOfBytesRead() {
        assertThat(store.store(id(1), new ByteArrayInputStream(new byte[0]))).isZero();
        assertThat(store.store(id(2), new ByteArrayInputStream(bytes(1, 1_000)))).isEqualTo(1_000);
        assertThat(store.store(id(3), new GeneratedBody(LARGE_BODY, 3))).isEqualTo(LARGE_BODY);
    }

    @Test
    void openReaderReturnsAnEmptyBodyAsStored() throws IOException {
        store.store(id(1), new ByteArrayInputStream(new byte[0]));

        try (InputStream body = store.openReader(id(1))) {
            assertThat(body.readAllBytes()).isEmpty();
        }
    }

    @Test
    void openReaderReturnsASmallBodyAsStored() throws IOException {
        byte[] plain = "Hello, RetrySpool! \u00e9\u00e8\u00ea \u2603".getBytes(StandardCharsets.UTF_8);
        byte[] binary = bytes(7, 4_096);
        store.store(id(1), new ByteArrayInputStream(plain));
        store.store(id(2), new ByteArrayInputStream(binary));

        assertThat(read(id(1))).isEqualTo(plain);
        assertThat(read(id(2))).isEqualTo(binary);
    }

    @Test
    void openReaderStreamsALargeBodyAsStored() throws IOException {
        store.store(id(1), new GeneratedBody(LARGE_BODY, 11));

        try (InputStream body = store.openReader(id(1))) {
            assertSameContent(body, new GeneratedBody(LARGE_BODY, 11));
        }
    }

    @Test
    void openReaderOfAnUnknownIdThrowsMissingBody() {
        store.store(id(1), new ByteArrayInputStream(bytes(1, 10)));

        assertThatThrownBy(() -> store.openReader(id(2)))
                .isInstanceOf(MissingBodyException.class)
                .hasMessageContaining(id(2));
    }

    @Test
    void storeDoesNotCloseTheGivenStream() {
        TrackingStream body = new TrackingStream(bytes(1, 100));

        store.store(id(1), body);

        assertThat(body.closed).isFalse();
    }

    @Test
    void storeOfAFailingStreamThrowsStorageExceptionAndLeavesNoBody() {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(bytes(1, 10_000)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the client went away");
            }
        });

        assertThatThrownBy(() -> store.store(id(1), failing)).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.openReader(id(1))).isInstanceOf(MissingBodyException.class);
    }

    // ---------------------------------------------------------------- openWriter

    @Test
    void writerMakesTheBodyVisibleWhenClosed() throws IOException {
        byte[] expected = bytes(5, 10_001);
        BodyWriter writer = store.openWriter(id(1));
        writer.write(expected[0]);
        writer.write(expected, 1, 5_000);
        writer.write(Arrays.copyOfRange(expected, 5_001, expected.length));

        assertThatThrownBy(() -> store.openReader(id(1)))
                .as("a body is not visible before its writer is closed")
                .isInstanceOf(MissingBodyException.class);
        writer.close();

        assertThat(read(id(1))).isEqualTo(expected);
    }

    @Test
    void writerOfNoBytesStoresAnEmptyBody() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        writer.close();

        assertThat(writer.bytesWritten()).isZero();
        assertThat(read(id(1))).isEmpty();
    }

    @Test
    void writerStreamsALargeBodyInUnevenPieces() throws IOException {
        try (BodyWriter writer = store.openWriter(id(1)); InputStream source = new GeneratedBody(LARGE_BODY, 23)) {
            byte[] buffer = new byte[70_001];
            int piece = 1;
            int n;
            while ((n = source.readNBytes(buffer, 0, Math.min(piece, buffer.length))) > 0) {
                writer.write(buffer, 0, n);
                piece = piece >= buffer.length ? 1 : piece * 3 + 1;
            }
            assertThat(writer.bytesWritten()).isEqualTo(LARGE_BODY);
        }

        try (InputStream body = store.openReader(id(1))) {
            assertSameContent(body, new GeneratedBody(LARGE_BODY, 23));
        }
    }

    @Test
    void writerCountsTheBytesWritten() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        assertThat(writer.bytesWritten()).isZero();

        writer.write(42);
        writer.write(bytes(1, 100));
        writer.write(bytes(2, 100), 10, 50);

        assertThat(writer.bytesWritten()).isEqualTo(151);
        writer.close();
        assertThat(writer.bytesWritten()).isEqualTo(151);
    }

    @Test
    void abortedWriterLeavesNoBody() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        writer.write(bytes(1, 10_000));

        writer.abort();

        assertThatThrownBy(() -> store.openReader(id(1))).isInstanceOf(MissingBodyException.class);
        assertThat(store.delete(id(1))).isFalse();
    }

    @Test
    void abortAfterCloseKeepsTheBody() throws IOException {
        byte[] expected = bytes(3, 2_000);
        BodyWriter writer = store.openWriter(id(1));
        writer.write(expected);
        writer.close();

        writer.abort();

        assertThat(read(id(1))).isEqualTo(expected);
    }

    @Test
    void writeAfterCloseFailsWithIOException() throws IOException {
        byte[] expected = bytes(3, 2_000);
        BodyWriter writer = store.openWriter(id(1));
        writer.write(expected);
        writer.close();

        assertThatThrownBy(() -> writer.write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.write(bytes(4, 100), 0, 100)).isInstanceOf(IOException.class);
        assertThat(read(id(1))).isEqualTo(expected);
    }

    @Test
    void closingAWriterTwiceKeepsTheBody() throws IOException {
        byte[] expected = bytes(3, 2_000);
        BodyWriter writer = store.openWriter(id(1));
        writer.write(expected);

        writer.close();
        writer.close();

        assertThat(read(id(1))).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteRemovesTheBodyAndTellsWhetherItExisted() throws IOException {
        store.store(id(1), new ByteArrayInputStream(bytes(1, 100)));
        store.store(id(2), new ByteArrayInputStream(bytes(2, 100)));

        assertThat(store.delete(id(1))).isTrue();
        assertThatThrownBy(() -> store.openReader(id(1))).isInstanceOf(MissingBodyException.class);
        assertThat(store.delete(id(1))).as("deleting again is not an error").isFalse();
        assertThat(store.delete(id(404))).isFalse();
        assertThat(read(id(2))).isEqualTo(bytes(2, 100));
    }

    @Test
    void deleteRemovesALargeBody() {
        store.store(id(1), new GeneratedBody(LARGE_BODY, 5));

        assertThat(store.delete(id(1))).isTrue();

        assertThatThrownBy(() -> store.openReader(id(1))).isInstanceOf(MissingBodyException.class);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    void concurrentStoresOfDifferentBodiesAllReadBackCorrectly() throws Exception {
        int threads = 8;
        int bodiesPerThread = 250;
        Concurrently.run(threads, thread -> {
            for (int i = 0; i < bodiesPerThread; i++) {
                int n = thread * bodiesPerThread + i;
                if (n % 2 == 0) {
                    store.store(id(n), new ByteArrayInputStream(bodyNumber(n)));
                } else {
                    try (BodyWriter writer = store.openWriter(id(n))) {
                        writer.write(bodyNumber(n));
                    }
                }
            }
        });

        for (int n = 0; n < threads * bodiesPerThread; n++) {
            assertThat(read(id(n))).as("body of %s", id(n)).isEqualTo(bodyNumber(n));
        }
    }

    // ---------------------------------------------------------------- helpers

    private byte[] read(String id) throws IOException {
        try (InputStream body = store.openReader(id)) {
            return body.readAllBytes();
        }
    }

    /** A body of its own size and content for message n: mostly up to 4 KiB, every 100th about 200 KiB. */
    private static byte[] bodyNumber(int n) {
        return bytes(n, n % 100 == 0 ? 200_000 + n : (n * 7_919) % 4_096);
    }

    @Test
    void listIdsGivesBodiesStoredBeforeTheTimePageByPageEachOnce() {
        for (int n : new int[]{3, 1, 4, 2, 5}) {
            store.store(id(n), new ByteArrayInputStream(new byte[]{(byte) n}));
        }
        java.time.Instant later = java.time.Instant.now().plusSeconds(3600);

        List<String> first = store.listIds(later, null, 3);
        assertThat(store.listIds(later, null, 3)).as("the same page again").isEqualTo(first);
        List<String> second = store.listIds(later, first.get(2), 3);
        assertThat(first).hasSize(3);
        assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);
        assertThat(store.listIds(later, second.get(1), 3)).isEmpty();
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4), id(5));
        assertThat(store.listIds(java.time.Instant.EPOCH, null, 10)).isEmpty();
    }

    @Test
    void listIdsNoLongerGivesDeletedBodies() {
        store.store(id(1), new ByteArrayInputStream(new byte[]{1}));
        store.store(id(2), new ByteArrayInputStream(new byte[]{2}));
        store.delete(id(1));

        assertThat(store.listIds(java.time.Instant.now().plusSeconds(3600), null, 10)).containsExactly(id(2));
    }

    /**
     * Returns pseudo-random bytes.
     *
     * @param seed what makes the bytes differ
     * @param length how many
     * @return the bytes, the same for the same arguments
     */
    protected static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Compares two streams chunk by chunk, without holding either whole. */
    private static void assertSameContent(InputStream actual, InputStream expected) throws IOException {
        byte[] a = new byte[64 * 1024];
        byte[] e = new byte[64 * 1024];
        long position = 0;
        while (true) {
            int expectedRead = expected.readNBytes(e, 0, e.length);
            int actualRead = actual.readNBytes(a, 0, a.length);
            int mismatch = Arrays.mismatch(a, 0, actualRead, e, 0, expectedRead);
            if (mismatch >= 0) {
                fail("the body differs from the expected one at byte %d (it is %s there)", position + mismatch,
                        actualRead != expectedRead && mismatch == Math.min(actualRead, expectedRead)
                                ? (actualRead < expectedRead ? "too short" : "too long") : "a different byte");
            }
            if (expectedRead == 0) {
                return;
            }
            position += expectedRead;
        }
    }

    /** A stream over bytes that remembers whether it was closed. */
    private static final class TrackingStream extends ByteArrayInputStream {
        private boolean closed;

        private TrackingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
