package io.retryspool.storage.memory;

import io.retryspool.StorageException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MissingBodyException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataStore} that keeps bodies in this process's memory, for tests and small transient spools.
 * Bodies are held whole, so it is not meant for large ones.
 */
public final class InMemoryDataStore implements DataStore {

    private final ConcurrentSkipListMap<String, Body> bodies = new ConcurrentSkipListMap<>();
    private final Clock clock;

    /** Creates an empty store that records store times by the UTC system clock. */
    public InMemoryDataStore() {
        this(Clock.systemUTC());
    }

    /**
     * Creates an empty store.
     *
     * @param clock the clock that stamps stored bodies, for {@link #listIds}
     */
    public InMemoryDataStore(Clock clock) {
        this.clock = Arguments.requireNonNull("clock", clock);
    }

    @Override
    public long store(String id, InputStream body) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("body", body);
        try {
            byte[] bytes = body.readAllBytes();
            bodies.put(id, new Body(bytes, clock.instant()));
            return bytes.length;
        } catch (IOException e) {
            throw new StorageException("could not read the body of message " + id, e);
        }
    }

    @Override
    public InputStream openReader(String id) {
        Body body = bodies.get(id);
        if (body == null) {
            throw new MissingBodyException("no body is stored for message " + id + " (in-memory data store)");
        }
        return new ByteArrayInputStream(body.bytes);
    }

    @Override
    public BodyWriter openWriter(String id) {
        Arguments.requireId("id", id);
        return new BodyWriter() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            private boolean finished;

            @Override
            public void write(int b) throws IOException {
                ensureOpen();
                buffer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ensureOpen();
                buffer.write(b, off, len);
            }

            @Override
            public void close() {
                if (!finished) {
                    finished = true;
                    bodies.put(id, new Body(buffer.toByteArray(), clock.instant()));
                }
            }

            @Override
            public void abort() {
                finished = true;
            }

            @Override
            public long bytesWritten() {
                return buffer.size();
            }

            private void ensureOpen() throws IOException {
                if (finished) {
                    throw new IOException("the body writer of message " + id + " is closed");
                }
            }
        };
    }

    @Override
    public boolean delete(String id) {
        return bodies.remove(id) != null;
    }

    @Override
    public List<String> listIds(Instant storedBefore, @Nullable String afterId, int limit) {
        var candidates = afterId == null ? bodies : bodies.tailMap(afterId, false);
        return candidates.entrySet().stream()
                .filter(entry -> entry.getValue().storedAt.isBefore(storedBefore))
                .limit(limit)
                .map(java.util.Map.Entry::getKey)
                .toList();
    }

    private record Body(byte[] bytes, Instant storedAt) {
    }
}
