package io.retryspool.codec;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Encoded body bytes cannot be turned back into the body: they are not in the codec's format (or in an
 * earlier pre-release version of it), they were truncated or tampered with, they were encoded for another
 * message, or they need a key that the key ring does not hold. Thrown by
 * {@link DataCodec#decode(String, java.io.InputStream)} and by the {@code read} methods of the stream it returns,
 * which never hand out bytes that failed authentication. {@link CodecDataStore#openReader(String)} reports it
 * as an {@link io.retryspool.StorageException}. Messages say what is wrong and never contain key material.
 */
public class BodyDecodingException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the encoded bytes
     */
    public BodyDecodingException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong with the encoded bytes
     * @param cause the underlying failure
     */
    public BodyDecodingException(@Nullable String message, Throwable cause) {
        super(message, cause);
    }
}
