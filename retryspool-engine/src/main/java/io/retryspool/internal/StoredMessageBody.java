package io.retryspool.internal;

import io.retryspool.MessageBody;
import io.retryspool.storage.MissingBodyException;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A body read from a data store, with the size recorded in its metadata. The store is asked for the body only
 * when it is first read, so a handler that never reads it costs no read at all. A body that ends before its
 * size (chunks or file lost) fails with a {@link MissingBodyException} instead of passing for a complete one.
 */
public final class StoredMessageBody extends MessageBody {

    private final String messageId;
    private final Supplier<InputStream> opener;
    private final long size;
    private @Nullable InputStream in;
    private boolean closed;
    private long read;

    /**
     * Wraps a body that is opened when first read.
     *
     * @param messageId the message's id, for errors
     * @param opener opens the body's bytes
     * @param size the recorded size
     */
    public StoredMessageBody(String messageId, Supplier<InputStream> opener, long size) {
        this.messageId = messageId;
        this.opener = opener;
        this.size = size;
    }

    private InputStream in() throws IOException {
        if (closed) {
            throw new IOException("the body of message " + messageId + " is closed");
        }
        if (in == null) {
            in = opener.get();
        }
        return in;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read() throws IOException {
        int b = in().read();
        return counted(b < 0 ? -1 : 1) < 0 ? -1 : b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return counted(in().read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in().skip(n);
        read += skipped;
        return skipped;
    }

    private int counted(int n) {
        if (n > 0) {
            read += n;
        } else if (n < 0 && read < size) {
            throw new MissingBodyException("the body of message " + messageId + " is incomplete: it ended after "
                    + read + " of " + size + " bytes");
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in == null ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (in != null) {
            in.close();
        }
    }
}
