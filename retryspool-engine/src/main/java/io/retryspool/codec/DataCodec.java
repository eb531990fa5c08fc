package io.retryspool.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Transforms bodies on their way into and out of a data store (compression, encryption). Both directions
 * stream. Codecs are applied with {@link CodecDataStore}; the first codec of a chain is applied first when
 * writing and last when reading.
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
     * @param encoded where the encoded bytes go
     * @return a stream that takes plain bytes
     * @throws IOException if the encoding cannot start
     */
    OutputStream encode(OutputStream encoded) throws IOException;

    /**
     * Wraps a stream of encoded bytes; closing the returned stream closes {@code encoded}.
     *
     * @param encoded the encoded bytes
     * @return a stream of plain bytes
     * @throws IOException if the encoded data cannot be read
     */
    InputStream decode(InputStream encoded) throws IOException;
}
