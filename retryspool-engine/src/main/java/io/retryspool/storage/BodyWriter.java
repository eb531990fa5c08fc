package io.retryspool.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one body into a {@link DataStore}. {@link #close()} makes the body durable and visible to
 * {@link DataStore#openReader(String)}; {@link #abort()} discards what was written.
 */
public abstract class BodyWriter extends OutputStream {

    /**
     * Finishes the body.
     *
     * @throws IOException if it could not be stored
     */
    @Override
    public abstract void close() throws IOException;

    /** Discards the body; does nothing after {@link #close()}. */
    public abstract void abort();

    /**
     * Returns the bytes written to this writer so far.
     *
     * @return the byte count
     */
    public abstract long bytesWritten();
}
