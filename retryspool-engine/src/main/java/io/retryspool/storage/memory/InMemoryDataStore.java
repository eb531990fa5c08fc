package io.retryspool.storage.memory;

import io.retryspool.StorageException;
import io.retryspool.internal.Arguments;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MissingBodyException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DataStore} that keeps bodies in this process's memory, for tests and small transient spools.
 * Bodies are held whole, so it is not meant for large ones.
 */
public final class InMemoryDataStore implements DataStore {

    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

    @Override
    public long store(String id, InputStream body) {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("body", body);
        try {
            byte[] bytes = body.readAllBytes();
            bodies.put(id, bytes);
            return bytes.length;
        } catch (IOException e) {
            throw new StorageException("could not read the body of message " + id, e);
        }
    }

    @Override
    public InputStream openReader(String id) {
        byte[] bytes = bodies.get(id);
        if (bytes == null) {
            throw new MissingBodyException("no body is stored for message " + id + " (in-memory data store)");
        }
        return new ByteArrayInputStream(bytes);
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
                    bodies.put(id, buffer.toByteArray());
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
}
