package io.retryspool.storage.fs;

import io.retryspool.MutableClock;
import io.retryspool.StorageException;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.testing.Concurrently;
import io.retryspool.testing.GeneratedBody;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.retryspool.storage.TestMessages.T0;
import static io.retryspool.storage.TestMessages.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What {@link FileSystemDataStore} does beyond the {@code DataStore} contract: files, ids, crashes and paging. */
class FileSystemDataStoreTests {

    private static final Instant FAR_FUTURE = T0.plus(Duration.ofDays(3_650));

    @TempDir
    Path directory;

    private Path root;
    private MutableClock clock;
    private FileSystemDataStore store;

    @BeforeEach
    void createStore() {
        // two levels below the temporary directory, so that anything escaping the root by a level or two is seen
        root = directory.resolve("outer").resolve("bodies");
        clock = new MutableClock(T0);
        store = new FileSystemDataStore(root, clock);
    }

    // ---------------------------------------------------------------- root

    @Test
    void constructorCreatesTheRootAndItsParentsIfMissing() {
        Path missing = directory.resolve("a").resolve("b").resolve("c");

        FileSystemDataStore created = new FileSystemDataStore(missing);

        assertThat(missing).isDirectory();
        assertThat(created.root()).isEqualTo(missing.toAbsolutePath().normalize());
    }

    @Test
    void constructorRejectsARootThatIsAFileWithStorageExceptionNamingThePath() throws IOException {
        Path file = Files.writeString(directory.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> new FileSystemDataStore(file))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString());
    }

    // ---------------------------------------------------------------- ids and layout

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t", "/", "\\", ".", "..", "../escaped", "../../escaped", "ab/../../escaped",
            "/etc/passwd", "/tmp/escaped", "ab/cd", "..\\escaped", "ab\\cd", "C:\\escaped", "C:escaped", ".hidden",
            ".ab.123.tmp", "a\u0000b", "\u0000", "a b", "ab\n", "~root", "$HOME", "caf\u00e9", "ab*", "a+b"})
    void idsThatAreNotPlainFileNamesAreRejectedByEveryMethodAndTouchNoFile(String id) throws IOException {
        Path decoyBesideRoot = Files.writeString(root.resolveSibling("escaped"), "decoy");
        Path decoyAboveRoot = Files.writeString(directory.resolve("escaped"), "decoy");

        assertRejected(() -> store.store(id, new ByteArrayInputStream(new byte[] {1, 2, 3})));
        assertRejected(() -> store.openWriter(id));
        assertRejected(() -> store.openReader(id));
        assertRejected(() -> store.delete(id));

        assertThat(decoyBesideRoot).hasContent("decoy");
        assertThat(decoyAboveRoot).hasContent("decoy");
        try (Stream<Path> everything = Files.walk(directory)) {
            assertThat(everything.filter(path -> !path.equals(decoyBesideRoot) && !path.equals(decoyAboveRoot)))
                    .as("nothing but the (empty) root and its parents exists")
                    .containsExactlyInAnyOrder(directory, root.getParent(), root);
        }
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"x", "Z", "0", "-", "_", "ab", "a.", "x..y", "a-b_c.D9", "-..-", "550e8400-e29b-41d4-a716-446655440000"})
    void plainNamesOfLettersDigitsDotsUnderscoresAndHyphensAreAcceptedAsIds(String id) throws IOException {
        store.store(id, new ByteArrayInputStream(new byte[] {4, 2}));

        assertThat(read(id)).containsExactly(4, 2);
        assertThat(store.listIds(FAR_FUTURE, null, 10)).containsExactly(id);
        assertThat(store.delete(id)).isTrue();
    }

    @Test
    void anIdOfTheMaximumLengthIsAcceptedAndALongerOneIsRejected() throws IOException {
        String longest = "a".repeat(FileSystemDataStore.MAX_ID_LENGTH);

        store.store(longest, new ByteArrayInputStream(new byte[] {7}));

        assertThat(read(longest)).containsExactly(7);
        assertRejected(() -> store.store(longest + "a", new ByteArrayInputStream(new byte[] {7})));
    }

    @Test
    void bodiesLiveInTheShardDirectoryNamedByTheLastTwoCharactersOfTheirIdWithDotsAsUnderscores() throws IOException {
        store.store("ab123", new ByteArrayInputStream(new byte[] {1}));
        store.store("q", new ByteArrayInputStream(new byte[] {2}));
        store.store("x..", new ByteArrayInputStream(new byte[] {3}));

        assertThat(root.resolve("23").resolve("ab123")).isRegularFile().hasBinaryContent(new byte[] {1});
        assertThat(root.resolve("q").resolve("q")).isRegularFile().hasBinaryContent(new byte[] {2});
        assertThat(root.resolve("__").resolve("x..")).isRegularFile().hasBinaryContent(new byte[] {3});
        assertThat(store.bodyPath("ab123")).isEqualTo(root.resolve("23").resolve("ab123"));
        assertThat(store.listIds(FAR_FUTURE, null, 10)).as("shards \"23\" < \"__\" < \"q\"").containsExactly("ab123", "x..", "q");
    }

    // ---------------------------------------------------------------- temporary files

    @Test
    void noTempFileRemainsAfterStore() throws IOException {
        store.store(id(1), new ByteArrayInputStream(new byte[10_000]));

        assertThat(tempFiles()).isEmpty();
        assertThat(filesIn(store.bodyPath(id(1)).getParent())).containsExactly(id(1));
    }

    @Test
    void aWriterWritesIntoATempFileAndNoTempFileRemainsAfterItIsClosed() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        writer.write(new byte[100_000]);

        assertThat(tempFiles()).singleElement().satisfies(temp -> {
            assertThat(temp.getParent()).isEqualTo(store.bodyPath(id(1)).getParent());
            assertThat(temp.getFileName().toString()).startsWith("." + id(1) + ".").endsWith(".tmp");
        });
        writer.close();

        assertThat(tempFiles()).isEmpty();
        assertThat(store.bodyPath(id(1))).hasSize(100_000);
    }

    @Test
    void noTempFileRemainsAfterAWriterIsAborted() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        writer.write(new byte[100_000]);

        writer.abort();

        assertThat(tempFiles()).isEmpty();
        assertThat(store.bodyPath(id(1))).doesNotExist();
    }

    @Test
    void noTempFileRemainsAfterStoreOfAStreamThatFailsWithIOException() throws IOException {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[200_000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the client went away");
            }
        });

        assertThatThrownBy(() -> store.store(id(1), failing))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(id(1))
                .hasMessageContaining(store.bodyPath(id(1)).toString())
                .hasMessageContaining("the client went away");

        assertThat(tempFiles()).isEmpty();
        assertThat(store.bodyPath(id(1))).doesNotExist();
    }

    @Test
    void noTempFileRemainsAfterStoreOfAStreamThatFailsWithARuntimeException() throws IOException {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[200_000]), new InputStream() {
            @Override
            public int read() {
                throw new UncheckedIOException(new IOException("decoding failed"));
            }
        });

        assertThatThrownBy(() -> store.store(id(1), failing)).isInstanceOf(UncheckedIOException.class);

        assertThat(tempFiles()).isEmpty();
        assertThat(store.bodyPath(id(1))).doesNotExist();
    }

    @Test
    void aTempFileLeftByACrashIsNeverListedOrReadAsABody() throws IOException {
        Path leftover = crashLeftover(id(1), T0.minus(Duration.ofDays(1)));
        store.store(id(2), new ByteArrayInputStream(new byte[] {2}));

        assertThat(store.listIds(FAR_FUTURE, null, 100)).containsExactly(id(2));
        assertThatThrownBy(() -> store.openReader(id(1))).isInstanceOf(MissingBodyException.class);
        assertThat(store.delete(id(1))).isFalse();
        assertThat(leftover).exists();
    }

    @Test
    void deleteStaleTempFilesRemovesOnlyTempFilesLastModifiedBeforeTheGivenTime() throws IOException {
        Path stale = crashLeftover(id(1), T0.minus(Duration.ofHours(2)));
        Path recent = crashLeftover(id(2), T0);
        clock.advance(Duration.ofHours(-3));
        store.store(id(3), new ByteArrayInputStream(new byte[] {3})); // an old body is not a temp file
        Path dotFile = Files.writeString(stale.resolveSibling(".keep"), "not ours to sweep");
        Files.setLastModifiedTime(dotFile, FileTime.from(T0.minus(Duration.ofDays(1))));

        int deleted = store.deleteStaleTempFiles(T0.minus(Duration.ofHours(1)));

        assertThat(deleted).isOne();
        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
        assertThat(dotFile).exists();
        assertThat(read(id(3))).containsExactly(3);
    }

    @Test
    void deleteStaleTempFilesKeepsTheTempFileOfAWriterThatIsStillWriting() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        writer.write(new byte[100_000]);
        writer.flush();
        Path temp = tempFiles().get(0);
        Instant lastWrite = Files.getLastModifiedTime(temp).toInstant();

        assertThat(store.deleteStaleTempFiles(lastWrite)).isZero();
        writer.close();

        assertThat(read(id(1))).hasSize(100_000);
    }

    @Test
    void aWriterWhoseTempFileWasSweptFailsWhenClosedAndStoresNothing() throws IOException {
        BodyWriter writer = store.openWriter(id(1));
        writer.write(new byte[1_000]);
        writer.flush();
        Instant lastWrite = Files.getLastModifiedTime(tempFiles().get(0)).toInstant();
        assertThat(store.deleteStaleTempFiles(lastWrite.plusSeconds(1))).isOne();

        assertThatThrownBy(writer::close).isInstanceOf(IOException.class).hasMessageContaining(id(1));

        assertThatThrownBy(() -> store.openReader(id(1))).isInstanceOf(MissingBodyException.class);
        assertThat(tempFiles()).isEmpty();
    }

    // ---------------------------------------------------------------- errors

    @Test
    void openReaderOfAMissingBodyThrowsMissingBodyNamingTheIdAndThePath() {
        assertThatThrownBy(() -> store.openReader(id(1)))
                .isInstanceOf(MissingBodyException.class)
                .hasMessageContaining(id(1))
                .hasMessageContaining(store.bodyPath(id(1)).toString());
    }

    @Test
    void writingWhereTheShardIsNotADirectoryFailsWithStorageExceptionNamingTheIdAndThePath() throws IOException {
        Path blocked = Files.writeString(store.bodyPath(id(1)).getParent(), "a file where a shard belongs");

        assertThatThrownBy(() -> store.store(id(1), new ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(id(1))
                .hasMessageContaining(blocked.toString());
        assertThatThrownBy(() -> store.openWriter(id(1)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(id(1))
                .hasMessageContaining(blocked.toString());
    }

    // ---------------------------------------------------------------- listIds

    @Test
    void listIdsPagesThroughAllIdsInShardThenIdOrder() {
        List<String> ids = List.of("zz-9", "a", "ab", "ab-2", "ab-10", "B7", "c7", "0-first", "9_x", "m.1", "m.2", "ma",
                "-dash", "_under", "x");
        for (String id : ids) {
            store.store(id, new ByteArrayInputStream(new byte[] {1}));
            clock.advance(Duration.ofSeconds(1));
        }
        Comparator<String> byShardThenId = Comparator
                .comparing((String id) -> id.substring(Math.max(0, id.length() - 2)).replace('.', '_'))
                .thenComparing(Comparator.naturalOrder());
        List<String> listingOrder = ids.stream().sorted(byShardThenId).toList();

        for (int limit : new int[] {1, 2, 4, 15, 100}) {
            List<String> all = listAllInPages(limit, page -> assertThat(page).as("a page of at most %d", limit)
                    .hasSizeLessThanOrEqualTo(limit).isSortedAccordingTo(byShardThenId));
            assertThat(all).as("all pages of %d", limit).containsExactlyElementsOf(listingOrder);
        }
    }

    @Test
    void listIdsReturnsOnlyIdsAfterTheGivenOneEvenIfThatOneIsNotStored() {
        for (String id : List.of("a", "ab", "ab-10", "ab-2", "b7", "c7")) {
            store.store(id, new ByteArrayInputStream(new byte[] {1}));
        }
        // shards "-2", "10", "a", "ab", "b7", "c7": listing order ab-2, ab-10, a, ab, b7, c7

        assertThat(store.listIds(FAR_FUTURE, "ab-10", 100)).containsExactly("a", "ab", "b7", "c7");
        assertThat(store.listIds(FAR_FUTURE, "ab-1", 100)).containsExactly("ab-2", "ab-10", "a", "ab", "b7", "c7");
        assertThat(store.listIds(FAR_FUTURE, "b", 100)).containsExactly("b7", "c7");
        assertThat(store.listIds(FAR_FUTURE, "a", 2)).containsExactly("ab", "b7");
        assertThat(store.listIds(FAR_FUTURE, "c7", 100)).isEmpty();
        assertThat(store.listIds(FAR_FUTURE, "", 100)).hasSize(6);
    }

    @Test
    void timeOrderedIdsWithOneCommonPrefixSpreadOverTheShards() {
        SplittableRandom random = new SplittableRandom(7);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 512; i++) {
            String id = new UUID(0x019a_b3c4_5d6e_7000L | i, random.nextLong()).toString(); // one millisecond's ids
            ids.add(id);
            store.store(id, new ByteArrayInputStream(new byte[] {1}));
        }

        Set<Path> shards = ids.stream().map(id -> store.bodyPath(id).getParent()).collect(Collectors.toSet());
        assertThat(shards).as("shard directories of 512 ids sharing their first 19 characters").hasSizeGreaterThan(200);
        assertThat(listAllInPages(50, page -> { })).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void listIdsReturnsOnlyBodiesStoredBeforeTheGivenTimeAndAppliesTheLimitAfterThatFilter() throws IOException {
        store.store(id(1), new ByteArrayInputStream(new byte[] {1}));
        BodyWriter writer = store.openWriter(id(2)); // opened at T0, closed at T0 + 10s: stamped when closed
        writer.write(2);
        clock.advance(Duration.ofSeconds(10));
        writer.close();
        store.store(id(3), new ByteArrayInputStream(new byte[] {3}));
        clock.advance(Duration.ofSeconds(10));
        store.store(id(4), new ByteArrayInputStream(new byte[] {4}));
        clock.advance(Duration.ofSeconds(-20));
        store.store(id(5), new ByteArrayInputStream(new byte[] {5}));

        assertThat(store.listIds(T0, null, 100)).as("strictly before").isEmpty();
        assertThat(store.listIds(T0.plusSeconds(1), null, 100)).containsExactly(id(1), id(5));
        assertThat(store.listIds(T0.plusSeconds(1), null, 1)).containsExactly(id(1));
        assertThat(store.listIds(T0.plusSeconds(1), id(1), 1)).containsExactly(id(5));
        assertThat(store.listIds(T0.plusSeconds(11), null, 100)).containsExactly(id(1), id(2), id(3), id(5));
        assertThat(store.listIds(FAR_FUTURE, null, 100)).containsExactly(id(1), id(2), id(3), id(4), id(5));
    }

    @Test
    void listIdsIgnoresEverythingThatIsNotABody() throws IOException {
        store.store(id(1), new ByteArrayInputStream(new byte[] {1}));
        Path shard = store.bodyPath(id(1)).getParent();
        Files.createDirectories(root.resolve("lost+found"));
        Files.writeString(root.resolve("lost+found").resolve("ms"), "x");
        Files.writeString(root.resolve("README"), "x");
        Files.writeString(root.resolve("zz"), "a file where a shard could be");
        Files.writeString(shard.resolve(id(2) + "~"), "an editor's backup");
        Files.writeString(shard.resolve("xy-in-the-wrong-shard"), "x");
        Files.createDirectories(shard.resolve(id(3)));
        crashLeftover(id(4), T0.minus(Duration.ofDays(1)));

        assertThat(store.listIds(FAR_FUTURE, null, 100)).containsExactly(id(1));
    }

    @Test
    void listIdsRejectsAMissingTimeAndANegativeLimitAndReturnsNothingForALimitOfZero() {
        store.store(id(1), new ByteArrayInputStream(new byte[] {1}));

        assertThatThrownBy(() -> store.listIds(null, null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storedBefore");
        assertThatThrownBy(() -> store.listIds(FAR_FUTURE, null, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThat(store.listIds(FAR_FUTURE, null, 0)).isEmpty();
    }

    // ---------------------------------------------------------------- concurrency and size

    @Test
    @Timeout(120)
    void writersOfDifferentIdsOnEightThreadsAllStoreTheirBodiesAndLeaveNoTempFile() throws Exception {
        int threads = 8;
        int bodiesPerThread = 250;
        List<List<String>> idsByThread = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(8);
        for (int t = 0; t < threads; t++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < bodiesPerThread; i++) {
                ids.add(new UUID(random.nextLong(), random.nextLong()).toString()); // spread over all 256 shards
            }
            idsByThread.add(ids);
        }
        Concurrently.run(threads, thread -> {
            List<String> ids = idsByThread.get(thread);
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                if (i % 2 == 0) {
                    store.store(id, new ByteArrayInputStream(bodyOf(id)));
                } else {
                    try (BodyWriter writer = store.openWriter(id)) {
                        writer.write(bodyOf(id));
                    }
                }
            }
        });

        List<String> all = idsByThread.stream().flatMap(List::stream).sorted().toList();
        for (String id : all) {
            assertThat(read(id)).as("body of %s", id).isEqualTo(bodyOf(id));
        }
        assertThat(store.listIds(FAR_FUTURE, null, all.size() + 1)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    @Timeout(120)
    void aBodyOf64MiBStreamsThroughStoreAndOpenReaderWithoutBeingHeldInMemory() throws Exception {
        long size = 64L * 1024 * 1024;
        com.sun.management.ThreadMXBean threadBean = ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean bean ? bean : null;
        assumeTrue(threadBean != null && threadBean.isThreadAllocatedMemorySupported()
                && threadBean.isThreadAllocatedMemoryEnabled(), "this JVM cannot count a thread's allocations");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        MessageDigest readBack = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        long allocatedBefore = threadBean.getCurrentThreadAllocatedBytes();

        long stored;
        try (InputStream source = new DigestInputStream(new GeneratedBody(size, 64), written)) {
            stored = store.store(id(1), source);
        }
        long read = 0;
        try (InputStream body = store.openReader(id(1))) {
            int n;
            while ((n = body.read(buffer)) != -1) {
                readBack.update(buffer, 0, n);
                read += n;
            }
        }

        long allocated = threadBean.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(stored).isEqualTo(size);
        assertThat(read).isEqualTo(size);
        assertThat(store.bodyPath(id(1))).hasSize(size);
        assertThat(readBack.digest()).as("SHA-256 of what was read back").isEqualTo(written.digest());
        assertThat(allocated).as("bytes allocated while storing and reading %d bytes", size).isLessThan(size / 16);
    }

    // ---------------------------------------------------------------- helpers

    /** Lists every id page by page, as the orphan sweeper does, handing each page to {@code eachPage} first. */
    private List<String> listAllInPages(int limit, Consumer<List<String>> eachPage) {
        List<String> all = new ArrayList<>();
        String after = null;
        List<String> page;
        do {
            page = store.listIds(FAR_FUTURE, after, limit);
            eachPage.accept(page);
            all.addAll(page);
            after = page.isEmpty() ? after : page.get(page.size() - 1);
        } while (page.size() == limit);
        return all;
    }

    private static void assertRejected(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id:");
    }

    private byte[] read(String id) throws IOException {
        try (InputStream body = store.openReader(id)) {
            return body.readAllBytes();
        }
    }

    /** Leaves a temporary file as a crash in the middle of writing would, last modified at the given time. */
    private Path crashLeftover(String id, Instant lastModified) throws IOException {
        Path shard = Files.createDirectories(store.bodyPath(id).getParent());
        Path leftover = Files.write(shard.resolve("." + id + ".5f3a9c0e1b2d4a67.tmp"), new byte[4_096]);
        Files.setLastModifiedTime(leftover, FileTime.from(lastModified));
        return leftover;
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().startsWith("."))
                    .filter(path -> path.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }

    private static List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    /** A body of its own size (0 to 8 KiB, every 64th about 200 KiB) and content for an id. */
    private static byte[] bodyOf(String id) {
        SplittableRandom random = new SplittableRandom(id.hashCode());
        byte[] body = new byte[(id.hashCode() & 63) == 0 ? 200_000 + random.nextInt(1_000) : random.nextInt(8_192)];
        random.nextBytes(body);
        return body;
    }

}
