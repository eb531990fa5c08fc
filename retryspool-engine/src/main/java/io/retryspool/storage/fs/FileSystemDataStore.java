package io.retryspool.storage.fs;

import io.retryspool.StorageException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MissingBodyException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link DataStore} that keeps one file per message body under a root directory.
 *
 * <h2>Layout</h2>
 * A body lives at {@code <root>/<shard>/<id>}, where the shard is the id's last two characters (the whole id
 * if it has only one), with dots turned into underscores so that no shard is {@code .}, {@code ..} or hidden. Ids the spool generates are UUIDs whose last characters are random (the first ones are
 * a timestamp, so that database indexes grow at one edge), so bodies spread evenly over at most 256 shard
 * directories (up to 4,096 for other ids of the allowed characters), and a shard holds about 1/256th of the
 * bodies. {@link #listIds} pages through the store in (shard, id) order: the shard directories in name order,
 * each shard's ids ascending. The shard of the previous page's last id says where the next page starts, so
 * the store holds only one page in memory whatever its size. Ids that share a long common suffix (such as
 * {@code order-1-x}, {@code order-2-x}) all land in one shard: the store works, but that directory grows with
 * the spool. Shard directories are created on demand and never removed. Anything in the root or a shard
 * whose name is not a valid id (a {@code lost+found} directory, an editor's backup file) is ignored.
 *
 * <h2>Ids</h2>
 * An id must be 1 to {@value #MAX_ID_LENGTH} characters of {@code A-Z a-z 0-9 . _ -} and must not start
 * with {@code '.'}. Without a separator an id is always exactly one path component, and the rule on the
 * leading dot excludes {@code "."} and {@code ".."}, so no id can name a path outside its shard; every
 * other id is rejected with an {@link IllegalArgumentException} naming {@code id}. The length limit keeps
 * the temporary file's name within the 255 bytes most file systems allow. On a case-insensitive file system
 * (the default on macOS and Windows) ids that differ only in case would share one file: the spool's
 * generated ids are lower case, so this only matters for ids chosen by an application.
 *
 * <h2>Durability</h2>
 * Both {@link #store} and {@link #openWriter} write into a temporary file in the body's shard directory,
 * named {@code .<id>.<random>.tmp} (no id starts with a dot, so it is never taken for a body), then force it
 * to disk ({@link FileChannel#force(boolean) FileChannel.force(true)}), rename it atomically to the body's
 * name and force the shard directory, so that after a crash a body is either there in full or not at all.
 * Forcing a directory is not possible on every platform (Windows); where it fails the store logs it once at
 * INFO and relies on the file system's own ordering of the rename. The root is forced once per shard and
 * process, after the shard is created. Deletes are not forced: a deleted body that reappears after a crash
 * is an orphan, which the orphan sweeper removes. A temporary file left behind by a crash is never listed
 * or read; {@link #deleteStaleTempFiles(Instant)} removes such files. Files and shard directories are
 * created with the process's default permissions (its umask): restrict access to the root directory itself
 * if bodies are confidential.
 *
 * <h2>Times</h2>
 * Each body's last-modified time is set from the store's {@link Clock} when the body is written, and
 * {@link #listIds} compares that time with {@code storedBefore}; with the same clock as the spool's, the two
 * agree, and tests can control them. The file system may round the time down to its granularity (one or two
 * seconds on some), which makes a body count as stored at most that much earlier. Temporary files carry the
 * time of their last write as the file system records it, and {@link #deleteStaleTempFiles(Instant)}
 * compares that time.
 *
 * <h2>Concurrency</h2>
 * The store holds no lock: every operation touches only the files of its own message id, and ids are
 * unique. It is safe to use from many threads, and from several processes sharing the root, as long as
 * they do not write the same id at once. A reader that opened a body keeps reading it even if it is deleted
 * meanwhile (on POSIX file systems).
 *
 * <p>I/O failures of the {@link DataStore} methods surface as {@link StorageException}s naming the message
 * id and the path; a missing body as {@link MissingBodyException}.
 */
public final class FileSystemDataStore implements DataStore {

    /** The longest id the store accepts. */
    public static final int MAX_ID_LENGTH = 200;

    private static final Logger log = LoggerFactory.getLogger(FileSystemDataStore.class);

    private static final String TEMP_PREFIX = ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int SHARD_LENGTH = 2;
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_TEMP_NAME_ATTEMPTS = 16;

    private final Path root;
    private final Clock clock;
    /** Shards known to exist, with their directory entry in the root forced to disk by this process. */
    private final Set<String> durableShards = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean directorySyncFailureReported = new AtomicBoolean();

    /**
     * Creates a store under a root directory, stamping bodies with the UTC system clock.
     *
     * @param root the root directory; created, with its parents, if missing
     * @throws IllegalArgumentException if the root is null
     * @throws StorageException if the root cannot be created or is not a writable directory
     */
    public FileSystemDataStore(Path root) {
        this(root, Clock.systemUTC());
    }

    /**
     * Creates a store under a root directory.
     *
     * @param root the root directory; created, with its parents, if missing
     * @param clock the clock whose time becomes a body's last-modified time when it is written, which
     *     {@link #listIds} compares
     * @throws IllegalArgumentException if the root or the clock is null
     * @throws StorageException if the root cannot be created or is not a writable directory
     */
    public FileSystemDataStore(Path root, Clock clock) {
        Arguments.requireNonNull("root", root);
        this.clock = Arguments.requireNonNull("clock", clock);
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new StorageException("could not create the data store root " + absolute + ": " + e, e);
        }
        if (!Files.isDirectory(absolute) || !Files.isWritable(absolute)) {
            throw new StorageException("the data store root " + absolute + " is not a writable directory");
        }
        this.root = absolute;
    }

    /**
     * Returns the root directory, as an absolute path.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    /**
     * Stores a body through a temporary file that is forced to disk and renamed into place; see the class
     * description. If reading {@code body} or writing fails, no body and no temporary file remain.
     *
     * @param id the message id
     * @param body the body; read to its end and not closed
     * @return the number of bytes read from {@code body}
     * @throws IllegalArgumentException if the id is not valid or the body is null
     * @throws StorageException if the body could not be read or stored
     */
    @Override
    public long store(String id, InputStream body) {
        requireValidId(id);
        Arguments.requireNonNull("body", body);
        FileBodyWriter writer = newWriter(id);
        try {
            byte[] buffer = new byte[BUFFER_SIZE];
            int n;
            while ((n = body.read(buffer)) != -1) {
                writer.write(buffer, 0, n);
            }
        } catch (IOException e) {
            writer.abort();
            throw new StorageException("could not store the body of message " + id + " at " + writer.target + ": " + e, e);
        } catch (RuntimeException | Error e) {
            writer.abort();
            throw e;
        }
        try {
            writer.close(); // cleans up if it fails
        } catch (IOException e) {
            throw new StorageException(e.getMessage(), e); // it names the id and the path
        }
        return writer.bytesWritten();
    }

    /**
     * Opens a stored body, buffered.
     *
     * @param id the message id
     * @return the body; the caller closes it
     * @throws IllegalArgumentException if the id is not valid
     * @throws MissingBodyException if no body is stored for the id; its message names the id and the path
     * @throws StorageException if the body exists but cannot be opened
     */
    @Override
    public InputStream openReader(String id) {
        requireValidId(id);
        Path path = bodyPath(id);
        try {
            return new BufferedInputStream(Files.newInputStream(path), BUFFER_SIZE);
        } catch (NoSuchFileException e) {
            throw new MissingBodyException("no body is stored for message " + id + " (looked for " + path + ")");
        } catch (IOException e) {
            throw new StorageException("could not open the body of message " + id + " at " + path + ": " + e, e);
        }
    }

    /**
     * Opens a writer into a new temporary file. {@link BodyWriter#close()} forces it to disk and renames it
     * into place, so the body becomes visible only then; {@link BodyWriter#abort()} deletes it. A writer
     * that is neither closed nor aborted leaves its temporary file for {@link #deleteStaleTempFiles(Instant)}.
     * The writer is for one thread.
     *
     * @param id the message id
     * @return the writer
     * @throws IllegalArgumentException if the id is not valid
     * @throws StorageException if the temporary file cannot be created
     */
    @Override
    public BodyWriter openWriter(String id) {
        requireValidId(id);
        return newWriter(id);
    }

    /**
     * Deletes a body's file. The deletion is not forced to disk; see the class description.
     *
     * @param id the message id
     * @return true if a body existed
     * @throws IllegalArgumentException if the id is not valid
     * @throws StorageException if the file exists but cannot be deleted
     */
    @Override
    public boolean delete(String id) {
        requireValidId(id);
        Path path = bodyPath(id);
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new StorageException("could not delete the body of message " + id + " at " + path + ": " + e, e);
        }
    }

    /**
     * Lists the ids of bodies whose last-modified time is before {@code storedBefore}, in (shard, id) order, a
     * page at a time. Temporary files are never listed. The store walks the shard directories in name order from
     * the shard of {@code afterId} on (in that shard, the ids after {@code afterId}; in later ones, all) and
     * stops after the shard in which the page fills up; it holds at most one page of ids (plus the names of the
     * shard directories) in memory, whatever the number of bodies.
     *
     * @param storedBefore only bodies whose last-modified time is before this
     * @param afterId the last id of the previous page, or null for the first page
     * @param limit the most ids to return; 0 returns none
     * @return the ids, by shard and then ascending
     * @throws IllegalArgumentException if {@code storedBefore} is null or {@code limit} is negative
     * @throws StorageException if a directory cannot be listed
     */
    @Override
    public List<String> listIds(Instant storedBefore, @Nullable String afterId, int limit) {
        Arguments.requireNonNull("storedBefore", storedBefore);
        if (limit < 0) {
            throw new IllegalArgumentException("limit: must not be negative, was " + limit);
        }
        List<String> page = new ArrayList<>(Math.min(limit, 1_024));
        if (limit == 0) {
            return page;
        }
        FileTime before = FileTime.from(storedBefore);
        String firstShard = afterId == null ? null : shardOf(afterId);
        for (String shard : shards()) {
            if (firstShard != null && shard.compareTo(firstShard) < 0) {
                continue; // an earlier shard was listed by earlier pages
            }
            String after = shard.equals(firstShard) ? afterId : null;
            collectIds(shard, before, after, limit - page.size(), page);
            if (page.size() >= limit) {
                break;
            }
        }
        return page;
    }

    /** Deletes stale temporary files; see {@link #deleteStaleTempFiles(Instant)}. */
    @Override
    public int removeUnfinishedWrites(Instant olderThan) {
        return deleteStaleTempFiles(olderThan);
    }

    /**
     * Deletes temporary files, left by a crash or by a writer that was never closed or aborted, whose
     * last-modified time (as the file system records it: the time of their last write) is before a time.
     * Pass a time well before any write that may still be in progress: a writer whose temporary file is
     * deleted fails when it is closed. A file that cannot be deleted is logged and skipped.
     *
     * @param olderThan only temporary files last modified before this
     * @return the number of temporary files deleted
     * @throws IllegalArgumentException if {@code olderThan} is null
     * @throws StorageException if a directory cannot be listed
     */
    public int deleteStaleTempFiles(Instant olderThan) {
        Arguments.requireNonNull("olderThan", olderThan);
        FileTime before = FileTime.from(olderThan);
        int deleted = 0;
        for (String shard : shards()) {
            Path directory = root.resolve(shard);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    if (isTempFileName(entry.getFileName().toString()) && deleteIfStale(entry, before)) {
                        deleted++;
                    }
                }
            } catch (NoSuchFileException e) {
                // the shard was removed by someone else meanwhile: nothing to sweep there
            } catch (IOException | DirectoryIteratorException e) {
                throw new StorageException("could not list the data store directory " + directory + ": " + cause(e), cause(e));
            }
        }
        return deleted;
    }

    /**
     * Describes the store.
     *
     * @return the class name and the root
     */
    @Override
    public String toString() {
        return "FileSystemDataStore[" + root + "]";
    }

    // ---------------------------------------------------------------- layout

    /** Returns where the body of a (valid) id lives. */
    Path bodyPath(String id) {
        return root.resolve(shardOf(id)).resolve(id);
    }

    private static String shardOf(String id) {
        String tail = id.length() <= SHARD_LENGTH ? id : id.substring(id.length() - SHARD_LENGTH);
        return tail.replace('.', '_'); // a shard is never ".", ".." or a hidden directory
    }

    private static boolean isTempFileName(String name) {
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
    }

    /** Returns the shard directories' names, ascending; entries that are not shard directories are left out. */
    private List<String> shards() {
        List<String> shards = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.length() <= SHARD_LENGTH && isValidId(name) && Files.isDirectory(entry)) {
                    shards.add(name);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw new StorageException("could not list the data store root " + root + ": " + cause(e), cause(e));
        }
        Collections.sort(shards);
        return shards;
    }

    /**
     * Adds to {@code page}, ascending, the smallest {@code wanted} ids of one shard that come after
     * {@code afterId} and were stored before {@code before}. Holds at most {@code wanted} names at a time.
     */
    private void collectIds(String shard, FileTime before, @Nullable String afterId, int wanted, List<String> page) {
        Path directory = root.resolve(shard);
        PriorityQueue<String> smallest = new PriorityQueue<>(Comparator.reverseOrder()); // largest on top
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!isValidId(name) || !shard.equals(shardOf(name))
                        || (afterId != null && name.compareTo(afterId) <= 0)
                        || (smallest.size() >= wanted && name.compareTo(smallest.peek()) >= 0)) {
                    continue; // not a body, or not among the smallest so far: no need to look at its time
                }
                if (isBodyStoredBefore(entry, before)) {
                    smallest.add(name);
                    if (smallest.size() > wanted) {
                        smallest.poll();
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return; // the shard was removed by someone else meanwhile: it holds no bodies
        } catch (IOException | DirectoryIteratorException e) {
            throw new StorageException("could not list the data store directory " + directory + ": " + cause(e), cause(e));
        }
        List<String> ids = new ArrayList<>(smallest);
        Collections.sort(ids);
        page.addAll(ids);
    }

    private static boolean isBodyStoredBefore(Path file, FileTime before) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false; // deleted meanwhile
        } catch (IOException e) {
            throw new StorageException("could not read the attributes of the body file " + file + ": " + e, e);
        }
        return attributes.isRegularFile() && attributes.lastModifiedTime().compareTo(before) < 0;
    }

    private static boolean deleteIfStale(Path file, FileTime before) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || attributes.lastModifiedTime().compareTo(before) >= 0) {
                return false;
            }
            boolean deleted = Files.deleteIfExists(file);
            if (deleted) {
                log.debug("Deleted the stale temporary file {}", file);
            }
            return deleted;
        } catch (NoSuchFileException e) {
            return false; // renamed into place or deleted meanwhile
        } catch (IOException e) {
            log.warn("Could not delete the stale temporary file {}: {}", file, e.toString());
            return false;
        }
    }

    /** Returns the shard directory of an id, creating it and forcing its entry in the root if need be. */
    private Path shardDirectory(String id) {
        String shard = shardOf(id);
        Path directory = root.resolve(shard);
        if (durableShards.contains(shard)) {
            return directory;
        }
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw new StorageException("could not store the body of message " + id + ": " + directory
                        + " exists and is not a directory", e);
            }
        } catch (IOException e) {
            throw new StorageException("could not create the data store directory " + directory + " for message "
                    + id + ": " + e, e);
        }
        // Whoever created the shard (this thread, another one, or a process before a crash), its entry in the
        // root is durable once the root is forced; do it once per shard and process.
        syncDirectory(root);
        durableShards.add(shard);
        return directory;
    }

    private FileBodyWriter newWriter(String id) {
        Path target = bodyPath(id);
        for (int attempt = 1; ; attempt++) {
            Path directory = shardDirectory(id);
            Path temp = directory.resolve(TEMP_PREFIX + id + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + TEMP_SUFFIX);
            try {
                FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new FileBodyWriter(id, target, temp, channel);
            } catch (FileAlreadyExistsException | NoSuchFileException e) {
                // a name clash, or the shard directory was removed by someone else: try again
                if (e instanceof NoSuchFileException) {
                    durableShards.remove(shardOf(id));
                }
                if (attempt >= MAX_TEMP_NAME_ATTEMPTS) {
                    throw new StorageException("could not create a temporary file for the body of message " + id
                            + " in " + directory + " after " + attempt + " attempts: " + e, e);
                }
            } catch (IOException e) {
                throw new StorageException("could not create a temporary file for the body of message " + id + " in "
                        + directory + ": " + e, e);
            }
        }
    }

    /** Forces a directory's entries to disk; tolerates platforms that cannot (Windows), see the class description. */
    private void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (directorySyncFailureReported.compareAndSet(false, true)) {
                log.info("Could not force the directory {} to disk ({}); this platform may not support it, so the data "
                        + "store relies on the file system to persist renames in order", directory, e.toString());
            } else {
                log.debug("Could not force the directory {} to disk: {}", directory, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- ids

    private static void requireValidId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id: must not be null or blank");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("id: must be at most " + MAX_ID_LENGTH + " characters long, was "
                    + id.length());
        }
        if (id.charAt(0) == '.') {
            throw new IllegalArgumentException("id: must not start with '.', was '" + id + "'");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isIdCharacter(c)) {
                throw new IllegalArgumentException(String.format(
                        "id: may only contain A-Z, a-z, 0-9, '.', '_' and '-', but has U+%04X at index %d", (int) c, i));
            }
        }
    }

    private static boolean isValidId(String name) {
        if (name.isEmpty() || name.length() > MAX_ID_LENGTH || name.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isIdCharacter(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }

    private static IOException cause(Exception e) {
        return e instanceof DirectoryIteratorException iteration ? Objects.requireNonNull(iteration.getCause()) : (IOException) e;
    }

    // ---------------------------------------------------------------- writer

    /** Writes a body into its temporary file and renames it into place when closed. */
    private final class FileBodyWriter extends BodyWriter {
        private final String id;
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
        private long count;
        private boolean finished;

        private FileBodyWriter(String id, Path target, Path temp, FileChannel channel) {
            this.id = id;
            this.target = target;
            this.temp = temp;
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            if (len >= buffer.capacity()) {
                drain();
                writeFully(ByteBuffer.wrap(b, off, len));
            } else {
                if (len > buffer.remaining()) {
                    drain();
                }
                buffer.put(b, off, len);
            }
            count += len;
        }

        /** Hands buffered bytes to the operating system (without forcing them to disk); does nothing once finished. */
        @Override
        public void flush() throws IOException {
            if (!finished) {
                drain();
            }
        }

        @Override
        public void close() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            boolean renamed = false;
            try {
                drain();
                Files.setLastModifiedTime(temp, FileTime.from(clock.instant()));
                channel.force(true);
                channel.close();
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                renamed = true;
            } catch (IOException e) {
                throw new IOException("could not store the body of message " + id + " at " + target + ": " + e, e);
            } finally {
                if (!renamed) {
                    discard();
                }
            }
            syncDirectory(Objects.requireNonNull(target.getParent()));
        }

        @Override
        public void abort() {
            if (!finished) {
                finished = true;
                discard();
            }
        }

        @Override
        public long bytesWritten() {
            return count;
        }

        private void drain() throws IOException {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }

        private void writeFully(ByteBuffer source) throws IOException {
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }

        private void ensureOpen() throws IOException {
            if (finished) {
                throw new IOException("the body writer of message " + id + " is closed");
            }
        }

        private void discard() {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Could not close the temporary file {} of message {}: {}", temp, id, e.toString());
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("Could not delete the temporary file {} of message {}; deleteStaleTempFiles will: {}",
                        temp, id, e.toString());
            }
        }
    }
}
