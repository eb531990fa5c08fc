package io.retryspool.codec;

import io.retryspool.checks.Arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses bodies in the gzip format (RFC 1952) with the JDK's {@link GZIPOutputStream} and
 * {@link GZIPInputStream}; both directions stream with a 64 KiB buffer. The gzip trailer's CRC-32 and
 * length detect a damaged or truncated body. Instances are immutable and safe for use by several threads.
 */
public final class GzipCodec implements DataCodec {

    /** The compression level unless chosen otherwise (zlib's default). */
    public static final int DEFAULT_LEVEL = 6;

    private static final int BUFFER_SIZE = 64 * 1024;

    private final int level;

    /** Creates a codec that compresses at level {@value #DEFAULT_LEVEL}. */
    public GzipCodec() {
        this(DEFAULT_LEVEL);
    }

    /**
     * Creates a codec.
     *
     * @param level the deflate level, 0 (no compression) to 9 (smallest, slowest)
     * @throws IllegalArgumentException if the level is out of range
     */
    public GzipCodec(int level) {
        if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("level: must be between 0 and 9, was " + level);
        }
        this.level = level;
    }

    /**
     * Returns the compression level.
     *
     * @return 0 to 9
     */
    public int level() {
        return level;
    }

    /**
     * Returns {@code gzip}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return "gzip";
    }

    /**
     * Writes the gzip header at once and returns a compressing stream; closing it writes the trailer and
     * closes {@code encoded}.
     *
     * @param messageId ignored: compression does not depend on the message
     * @param encoded where the compressed body goes
     * @return a stream that takes the plain body
     * @throws IOException if the header cannot be written
     */
    @Override
    public OutputStream encode(String messageId, OutputStream encoded) throws IOException {
        return new LeveledGzipOutputStream(Arguments.requireNonNull("encoded", encoded), level);
    }

    /**
     * Reads the gzip header at once and returns a decompressing stream.
     *
     * @param messageId ignored: compression does not depend on the message
     * @param encoded the compressed body
     * @return the plain body
     * @throws IOException if the bytes do not start with a gzip header
     */
    @Override
    public InputStream decode(String messageId, InputStream encoded) throws IOException {
        return new GZIPInputStream(Arguments.requireNonNull("encoded", encoded), BUFFER_SIZE);
    }

    /**
     * Describes the codec.
     *
     * @return for example {@code GzipCodec[level=6]}
     */
    @Override
    public String toString() {
        return "GzipCodec[level=" + level + "]";
    }

    /** A gzip stream with a chosen level; the JDK's class only offers the default one through its constructors. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {

        private LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, BUFFER_SIZE);
            def.setLevel(level);
        }
    }
}
