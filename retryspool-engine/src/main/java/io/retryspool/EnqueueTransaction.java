package io.retryspool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A streaming enqueue: write the body, set headers, then {@link #commit()}. Until commit the message
 * is invisible; {@link #abort()} (or {@link #close()} without commit) leaves nothing behind. After
 * commit or abort, writing, setting headers or committing again is an {@link IllegalStateException}.
 */
public abstract class EnqueueTransaction extends OutputStream {

    /**
     * Returns the id the message will have; known before commit.
     *
     * @return the message id
     */
    public abstract String messageId();

    /**
     * Sets a header (last value wins).
     *
     * @param name a non-empty name
     * @param value a non-null value
     * @return this transaction
     */
    public abstract EnqueueTransaction setHeader(String name, String value);

    /**
     * Sets several headers.
     *
     * @param headers the headers
     * @return this transaction
     */
    public abstract EnqueueTransaction setHeaders(Map<String, String> headers);

    /**
     * Finishes the body and stores the message.
     *
     * @return the message id
     * @throws StorageException if the body or the metadata could not be stored; nothing is left behind
     */
    public abstract String commit();

    /** Discards everything written; does nothing when already committed or aborted. */
    public abstract void abort();

    /** Aborts unless committed. */
    @Override
    public void close() {
        abort();
    }

    @Override
    public abstract void write(byte[] b, int off, int len) throws IOException;
}
