package io.retryspool.codec;

import java.util.Locale;
import java.util.Optional;

/**
 * The compression choices for bodies, by the names configuration uses
 * ({@code retryspool.data.compression=none|gzip|zstd}). Combine with encryption through
 * {@link DataCodecs#chain(Compression, DataCodec)}, which compresses first.
 */
public enum Compression {

    /** Bodies are stored as they are. */
    NONE,

    /** {@link GzipCodec} at its default level. */
    GZIP,

    /** {@link ZstdCodec} at its default level (3). */
    ZSTD;

    /**
     * Returns a codec for this choice, at the codec's default level.
     *
     * @return the codec, or empty for {@link #NONE}
     */
    public Optional<DataCodec> codec() {
        return switch (this) {
            case NONE -> Optional.empty();
            case GZIP -> Optional.of(new GzipCodec());
            case ZSTD -> Optional.of(new ZstdCodec());
        };
    }

    /**
     * Returns the choice with a name, ignoring case and surrounding white space: {@code none}, {@code gzip}
     * or {@code zstd}.
     *
     * @param name the name
     * @return the choice
     * @throws IllegalArgumentException naming the accepted values if the name is none of them
     */
    public static Compression fromName(String name) {
        if (name != null) {
            String normalized = name.strip().toUpperCase(Locale.ROOT);
            for (Compression compression : values()) {
                if (compression.name().equals(normalized)) {
                    return compression;
                }
            }
        }
        throw new IllegalArgumentException("compression: must be one of none, gzip, zstd, was "
                + (name == null ? "null" : "'" + name + "'"));
    }
}
