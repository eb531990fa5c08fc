package io.retryspool.codec;

import io.retryspool.StorageException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataStore} that applies a chain of {@link DataCodec}s around another one: bodies are encoded
 * on their way in and decoded on their way out, streaming in both directions. Every codec is given the id
 * of the message whose body it encodes or decodes.
 */
public final class CodecDataStore implements DataStore {

    private final DataStore delegate;
    private final List<DataCodec> codecs;

    /**
     * Wraps a store.
     *
     * @param delegate the store that holds the encoded bodies
     * @param codecs the codecs; the first is applied first when writing
     */
    public CodecDataStore(DataStore delegate, List<DataCodec> codecs) {
        this.delegate = Arguments.requireNonNull("delegate", delegate);
        this.codecs = List.copyOf(Arguments.requireNonNull("codecs", codecs));
    }

    @Override
    public long store(String id, InputStream body) {
        Arguments.requireNonNull("body", body);
        BodyWriter writer = openWriter(id);
        try {
            body.transferTo(writer);
            writer.close();
        } catch (IOException e) {
            writer.abort();
            throw new StorageException("could not store the body of message " + id + " through codecs " + names(), e);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        return writer.bytesWritten();
    }

    @Override
    public InputStream openReader(String id) {
        InputStream stream = delegate.openReader(id);
        try {
            for (int i = codecs.size() - 1; i >= 0; i--) {
                stream = codecs.get(i).decode(id, stream);
            }
            return stream;
        } catch (IOException e) {
            closeQuietly(stream);
            throw new StorageException("could not decode the body of message " + id + " with codecs " + names() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public BodyWriter openWriter(String id) {
        BodyWriter target = delegate.openWriter(id);
        OutputStream chain = target;
        try {
            for (int i = codecs.size() - 1; i >= 0; i--) {
                chain = codecs.get(i).encode(id, chain);
            }
        } catch (IOException e) {
            target.abort();
            throw new StorageException("could not start encoding the body of message " + id + " with codecs " + names(), e);
        }
        return new EncodingWriter(chain, target);
    }

    @Override
    public boolean delete(String id) {
        return delegate.delete(id);
    }

    @Override
    public void deleteAll(java.util.Collection<String> ids) {
        delegate.deleteAll(ids);
    }

    @Override
    public List<String> listIds(Instant storedBefore, @Nullable String afterId, int limit) {
        return delegate.listIds(storedBefore, afterId, limit);
    }

    @Override
    public int removeUnfinishedWrites(Instant olderThan) {
        return delegate.removeUnfinishedWrites(olderThan);
    }

    private String names() {
        return codecs.stream().map(DataCodec::name).toList().toString();
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException | UncheckedIOException ignored) {
            // the decoding failure is the one to report
        }
    }

    /** Writes plain bytes through the codec chain into the target writer. */
    private static final class EncodingWriter extends BodyWriter {
        private final OutputStream chain;
        private final BodyWriter target;
        private long plainBytes;

        private EncodingWriter(OutputStream chain, BodyWriter target) {
            this.chain = chain;
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            chain.write(b);
            plainBytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            chain.write(b, off, len);
            plainBytes += len;
        }

        @Override
        public void flush() throws IOException {
            chain.flush();
        }

        @Override
        public void close() throws IOException {
            chain.close();
        }

        @Override
        public void abort() {
            target.abort();
        }

        /** Returns the plain bytes written (the encoded size is the target's business). */
        @Override
        public long bytesWritten() {
            return plainBytes;
        }
    }
}
