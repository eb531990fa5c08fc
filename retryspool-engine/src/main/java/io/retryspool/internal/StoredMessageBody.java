package io.retryspool.internal;

import io.retryspool.MessageBody;
import io.retryspool.storage.MissingBodyException;

import java.io.IOException;
import java.io.InputStream;

/**
 * A body read from a data store, with the size recorded in its metadata. A body that ends before that size
 * (chunks or file lost) fails with a {@link MissingBodyException} instead of passing for a complete one.
 */
public final class StoredMessageBody extends MessageBody {

    private final String messageId;
    private final InputStream in;
    private final long size;
    private long read;

    /**
     * Wraps a stream.
     *
     * @param messageId the message's id, for errors
     * @param in the body's bytes
     * @param size the recorded size
     */
    public StoredMessageBody(String messageId, InputStream in, long size) {
        this.messageId = messageId;
        this.in = in;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        return counted(b < 0 ? -1 : 1) < 0 ? -1 : b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return counted(in.read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
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
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
