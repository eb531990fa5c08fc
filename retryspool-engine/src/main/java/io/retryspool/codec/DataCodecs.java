package io.retryspool.codec;

import io.retryspool.checks.Arguments;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds codec chains from configuration choices, in the one order that makes sense: compress first, then
 * encrypt. Encrypted bytes look random, so compressing them gains nothing; compressing the plain body first
 * keeps the size gain and the encryption.
 */
public final class DataCodecs {

    private DataCodecs() {
    }

    /**
     * Returns the codecs for a compression choice and an optional encryption codec, in writing order, ready
     * for {@link CodecDataStore#CodecDataStore(io.retryspool.storage.DataStore, List)} or for repeated
     * calls of {@code RetrySpoolBuilder.codec(..)}.
     *
     * @param compression the compression; {@link Compression#NONE} for none
     * @param encryption the encryption codec, usually an {@link EncryptionCodec}; null for none
     * @return the chain, compression first: empty, one or two codecs; unmodifiable
     * @throws IllegalArgumentException if {@code compression} is null
     */
    public static List<DataCodec> chain(Compression compression, @Nullable DataCodec encryption) {
        List<DataCodec> chain = new ArrayList<>(2);
        Arguments.requireNonNull("compression", compression).codec().ifPresent(chain::add);
        if (encryption != null) {
            chain.add(encryption);
        }
        return List.copyOf(chain);
    }
}
