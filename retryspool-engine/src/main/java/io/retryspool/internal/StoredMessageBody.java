package io.retryspool.internal;

import io.retryspool.MessageBody;

import java.io.IOException;
import java.io.InputStream;

/** A body read from a data store, with the size recorded in its metadata. */
public final class StoredMessageBody extends MessageBody {

    private final InputStream in;
    private final long size;

    /**
     * Wraps a stream.
     *
     * @param in the body's bytes
     * @param size the recorded size
     */
    public StoredMessageBody(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read() throws IOException {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    @Override
    public long skip(long n) throws IOException {
        return in.skip(n);
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
