package io.retryspool.internal;

import io.retryspool.StorageException;
import io.retryspool.codec.CodecDataStore;
import io.retryspool.codec.DataCodec;
import io.retryspool.storage.DataStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The spool's body codecs (compression, encryption) between the application and the store: streams pass through
 * {@link #around(DataStore)}, bodies given whole in memory are encoded with {@link #encode} before the store writes
 * them together with their metadata.
 */
final class EncodedBodies {

    private final List<DataCodec> codecs;

    EncodedBodies(List<DataCodec> codecs) {
        this.codecs = List.copyOf(codecs);
    }

    /** The body store as the application sees it: bodies decoded when read, encoded when streamed in. */
    DataStore around(DataStore stored) {
        return codecs.isEmpty() ? stored : new CodecDataStore(stored, codecs);
    }

    /** A body as it is to be stored: the codecs applied in order; the body itself when there are none. */
    byte[] encode(String messageId, byte[] body) {
        if (codecs.isEmpty()) {
            return body;
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream(body.length + 64);
        try {
            OutputStream out = encoded;
            for (int i = codecs.size() - 1; i >= 0; i--) {
                out = codecs.get(i).encode(messageId, out);
            }
            out.write(body);
            out.close();
        } catch (IOException e) {
            throw new StorageException("could not encode the body of message " + messageId, e);
        }
        return encoded.toByteArray();
    }
}
