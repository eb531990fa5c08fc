package io.retryspool;

import java.io.InputStream;

/**
 * A message's body as a stream that knows its size. The caller closes it.
 */
public abstract class MessageBody extends InputStream {

    /**
     * Returns the body's size in bytes, as it was enqueued (before any compression or encryption).
     *
     * @return the size in bytes
     */
    public abstract long size();
}
