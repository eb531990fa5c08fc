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
     * Sets a header (last value wins). The input limits of {@link EnqueueRequest} apply: names of 1 to 256
     * characters, all headers together at most 64 KiB (UTF-8 names plus values), no NUL.
     *
     * @param name 1 to 256 characters, without NUL
     * @param value a non-null value without NUL
     * @return this transaction
     * @throws IllegalArgumentException naming {@code headers} if the header breaks a limit; it is not set
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
