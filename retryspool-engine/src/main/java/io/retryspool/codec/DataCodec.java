package io.retryspool.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Transforms bodies on their way into and out of a data store (compression, encryption). Both directions
 * stream. Codecs are applied with {@link CodecDataStore}; the first codec of a chain is applied first when
 * writing and last when reading.
 *
 * <p>Both directions are told the id of the message the body belongs to. Codecs that need no id ignore it;
 * {@link EncryptionCodec} binds it into the authentication, so a body copied or moved to another message
 * fails to decode instead of being handed to the other message's handler.
 */
public interface DataCodec {

    /**
     * Returns the codec's name, for logs and errors.
     *
     * @return the name
     */
    String name();

    /**
     * Wraps a stream that writes encoded bytes; closing the returned stream finishes the encoding and
     * closes {@code encoded}.
     *
     * @param messageId the id of the message the body belongs to; codecs that need no id ignore it, the
     *                  encryption codec binds it
     * @param encoded where the encoded bytes go
     * @return a stream that takes plain bytes
     * @throws IOException if the encoding cannot start
     */
    OutputStream encode(String messageId, OutputStream encoded) throws IOException;

    /**
     * Wraps a stream of encoded bytes; closing the returned stream closes {@code encoded}.
     *
     * @param messageId the id of the message the body is read for, the same as it was encoded for; codecs
     *                  that need no id ignore it, the encryption codec rejects a body encoded for another id
     * @param encoded the encoded bytes
     * @return a stream of plain bytes
     * @throws IOException if the encoded data cannot be read, such as a {@link BodyDecodingException}
     */
    InputStream decode(String messageId, InputStream encoded) throws IOException;
}
