package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MissingBodyException;

import java.util.Objects;
import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataStore} that keeps bodies in a PostgreSQL or SQLite table, cut into chunks (1 MiB by default)
 * so that a body of any size streams in and out with memory bounded by a chunk or two. Chunk 0 is always
 * present (empty for an empty body) and is written last by {@link #openWriter}, so a body becomes readable
 * only when it is complete. {@link #store} writes all chunks in one transaction, joining a Spring
 * transaction already active on the DataSource.
 *
 * <p>The table must exist; {@link RetrySpoolSchema#migrate(DataSource, JdbcTables)} creates it.
 */
public final class JdbcDataStore implements DataStore {

    /** The default chunk size: 1 MiB. */
    public static final int DEFAULT_CHUNK_SIZE = 1024 * 1024;

    private final JdbcAccess access;
    private final String table;
    private final int chunkSize;
    private final Clock clock;
    private final String insertChunk;
    private final String selectChunk;

    /**
     * Creates a store on the default table {@code retryspool_data} with 1 MiB chunks.
     *
     * @param dataSource the database
     */
    public JdbcDataStore(DataSource dataSource) {
        this(dataSource, JdbcTables.defaults(), DEFAULT_CHUNK_SIZE, Clock.systemUTC());
    }

    /**
     * Creates a store.
     *
     * @param dataSource the database
     * @param tables the table names
     * @param chunkSize bytes per chunk, at least 1
     * @param clock stamps stored chunks, for the orphan sweeper
     */
    public JdbcDataStore(DataSource dataSource, JdbcTables tables, int chunkSize, Clock clock) {
        this.access = new JdbcAccess(Arguments.requireNonNull("dataSource", dataSource));
        this.table = Arguments.requireNonNull("tables", tables).dataTable();
        this.chunkSize = Arguments.requirePositive("chunkSize", chunkSize);
        this.clock = Arguments.requireNonNull("clock", clock);
        this.insertChunk = "INSERT INTO " + table + " (message_id, chunk_no, data, created) VALUES (?, ?, ?, ?)";
        this.selectChunk = "SELECT data FROM " + table + " WHERE message_id = ? AND chunk_no = ?";
    }

    /**
     * Returns the DataSource the store writes to.
     *
     * @return the DataSource
     */
    public DataSource dataSource() {
        return access.dataSource;
    }

    /** Whether a body of this many bytes fits in one chunk. */
    boolean fitsOneChunk(int bytes) {
        return bytes <= chunkSize;
    }

    /** The body table's name. */
    String table() {
        return table;
    }

    /** The value stored as the chunks' creation time now. */
    Object createdNow() {
        return access.dialect.time(clock.instant());
    }

    /** Inserts single-chunk bodies with one batched statement, inside the caller's transaction. */
    void insertSingleChunks(List<String> ids, List<byte[]> bodies) {
        Object created = createdNow();
        List<Object[]> rows = new java.util.ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            rows.add(new Object[]{ids.get(i), 0, bodies.get(i), created});
        }
        access.batchUpdate(insertChunk, rows);
    }

    @Override
    public long store(String id, InputStream body) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("body", body);
        return access.inTransaction("store the body of message " + id + " in " + table, () -> {
            byte[] buffer = new byte[chunkSize];
            long total = 0;
            int chunkNo = 0;
            try {
                while (true) {
                    int filled = fill(body, buffer);
                    if (filled > 0 || chunkNo == 0) {
                        insertChunk(id, chunkNo++, filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled));
                        total += filled;
                    }
                    if (filled < buffer.length) {
                        return total;
                    }
                }
            } catch (IOException e) {
                throw new StorageException("could not read the body of message " + id, e);
            }
        });
    }

    @Override
    public InputStream openReader(String id) {
        byte[] first = readChunk(id, 0);
        if (first == null) {
            throw new MissingBodyException("no body is stored for message " + id + " in " + table);
        }
        return new ChunkInputStream(id, first);
    }

    @Override
    public BodyWriter openWriter(String id) {
        Arguments.requireId("id", id);
        return new ChunkWriter(id);
    }

    @Override
    public boolean delete(String id) {
        return access.inTransaction("delete the body of message " + id + " from " + table,
                () -> access.jdbc.update("DELETE FROM " + table + " WHERE message_id = ?", id) > 0);
    }

    @Override
    public void deleteAll(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<String> all = List.copyOf(ids);
        access.inTransaction("delete " + all.size() + " bodies from " + table, () -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
                access.jdbc.update("DELETE FROM " + table + " WHERE message_id IN ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")", chunk.toArray());
            }
            return null;
        });
    }

    @Override
    public List<String> listIds(Instant storedBefore, @Nullable String afterId, int limit) {
        return access.run("list stored bodies in " + table, () -> afterId == null
                ? access.jdbc.queryForList("SELECT DISTINCT message_id FROM " + table
                        + " WHERE created < ? ORDER BY message_id LIMIT ?", String.class,
                        access.dialect.time(storedBefore), limit)
                : access.jdbc.queryForList("SELECT DISTINCT message_id FROM " + table
                        + " WHERE created < ? AND message_id > ? ORDER BY message_id LIMIT ?", String.class,
                        access.dialect.time(storedBefore), afterId, limit));
    }

    private void insertChunk(String id, int chunkNo, byte[] data) {
        access.jdbc.update(insertChunk, id, chunkNo, data, access.dialect.time(clock.instant()));
    }

    // the result set extractor may return null, which NullAway outside its JSpecify mode takes as non-null
    @SuppressWarnings("NullAway")
    private byte @Nullable [] readChunk(String id, int chunkNo) {
        return access.run("read chunk " + chunkNo + " of the body of message " + id + " from " + table,
                () -> access.jdbc.query(selectChunk, rs -> rs.next() ? rs.getBytes(1) : null, id, chunkNo));
    }

    private static int fill(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    /** Reads a body chunk by chunk, fetching the next chunk only when the current one is used up. */
    private final class ChunkInputStream extends InputStream {
        private final String id;
        private byte @Nullable [] chunk;
        private int position;
        private int nextChunkNo = 1;

        ChunkInputStream(String id, byte[] first) {
            this.id = id;
            this.chunk = first;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (chunk != null && position >= chunk.length) {
                try {
                    chunk = readChunk(id, nextChunkNo++);
                } catch (StorageException e) {
                    throw new IOException(e.getMessage(), e);
                }
                position = 0;
            }
            if (chunk == null) {
                return -1;
            }
            int n = Math.min(len, chunk.length - position);
            System.arraycopy(chunk, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            chunk = null;
        }
    }

    /**
     * Writes chunks 1, 2, ... as they fill and chunk 0 on close, so that the body is invisible until complete;
     * holds at most two chunks in memory.
     */
    private final class ChunkWriter extends BodyWriter {
        private final String id;
        private final byte[] buffer = new byte[chunkSize];
        private byte @Nullable [] firstChunk;
        private int filled;
        private int nextChunkNo;
        private long written;
        private boolean finished;

        ChunkWriter(String id) {
            this.id = id;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            while (len > 0) {
                if (filled == buffer.length) {
                    flushChunk();
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                written += n;
            }
        }

        private void flushChunk() throws IOException {
            byte[] data = Arrays.copyOf(buffer, filled);
            if (nextChunkNo == 0) {
                firstChunk = data;
            } else {
                try {
                    access.run("store chunk " + nextChunkNo + " of the body of message " + id + " in " + table, () -> {
                        insertChunk(id, nextChunkNo, data);
                        return null;
                    });
                } catch (StorageException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
            nextChunkNo++;
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (finished) {
                return;
            }
            if (filled > 0 || nextChunkNo == 0) {
                flushChunk();
            }
            finished = true;
            try {
                access.run("store the first chunk of the body of message " + id + " in " + table, () -> {
                    insertChunk(id, 0, Objects.requireNonNull(firstChunk));
                    return null;
                });
            } catch (StorageException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void abort() {
            if (finished) {
                return;
            }
            finished = true;
            if (nextChunkNo > 1) {
                delete(id);
            }
        }

        @Override
        public long bytesWritten() {
            return written;
        }

        private void ensureOpen() throws IOException {
            if (finished) {
                throw new IOException("the body writer of message " + id + " is closed");
            }
        }
    }
}
