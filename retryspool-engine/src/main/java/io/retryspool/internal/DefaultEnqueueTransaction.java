package io.retryspool.internal;

import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;
import io.retryspool.EnqueueTransaction;
import io.retryspool.StorageException;
import io.retryspool.storage.BodyWriter;

import java.io.IOException;
import java.util.Map;

/** A streaming enqueue: body bytes go straight to the data store's writer; metadata is stored on commit. */
final class DefaultEnqueueTransaction extends EnqueueTransaction {

    /** Stores the metadata of a committed body. */
    interface Committer {
        String commit(String id, Map<String, String> headers, long size);

        void discard(String id);
    }

    private enum Status { OPEN, COMMITTED, ABORTED }

    private final String id;
    private final BodyWriter writer;
    private final Committer committer;
    private final InputLimits.LimitedHeaders headers = new InputLimits.LimitedHeaders("headers");
    private long size;
    private Status status = Status.OPEN;

    DefaultEnqueueTransaction(String id, BodyWriter writer, Committer committer) {
        this.id = id;
        this.writer = writer;
        this.committer = committer;
    }

    @Override
    public String messageId() {
        return id;
    }

    @Override
    public synchronized EnqueueTransaction setHeader(String name, String value) {
        ensureOpen();
        headers.put(name, value);
        return this;
    }

    @Override
    public synchronized EnqueueTransaction setHeaders(Map<String, String> headers) {
        ensureOpen();
        Arguments.requireNonNull("headers", headers).forEach(this::setHeader);
        return this;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        ensureOpen();
        writer.write(b);
        size++;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        writer.write(b, off, len);
        size += len;
    }

    @Override
    public synchronized void flush() throws IOException {
        ensureOpen();
        writer.flush();
    }

    @Override
    public synchronized String commit() {
        ensureOpen();
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            abort();
            throw new StorageException("could not store the body of message " + id + "; the enqueue was aborted", e);
        }
        try {
            String stored = committer.commit(id, headers.toMap(), size);
            status = Status.COMMITTED;
            return stored;
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        if (status != Status.OPEN) {
            return;
        }
        status = Status.ABORTED;
        writer.abort();
        committer.discard(id);
    }

    private void ensureOpen() {
        if (status != Status.OPEN) {
            throw new IllegalStateException("the enqueue transaction of message " + id + " is already "
                    + (status == Status.COMMITTED ? "committed" : "aborted"));
        }
    }
}
