package io.retryspool.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.retryspool.checks.Arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Compresses bodies in the Zstandard format (RFC 8878) with zstd-jni's streaming
 * {@link ZstdOutputStream} and {@link ZstdInputStream}; both directions stream, with memory bounded by the
 * level's window (a few MiB at the default level). Frames carry a content checksum, so a damaged body
 * fails to decode. Usually faster than gzip at a better ratio. Instances are immutable and safe for use by
 * several threads. Needs {@code com.github.luben:zstd-jni}, an optional dependency that applications using this
 * codec add themselves.
 */
public final class ZstdCodec implements DataCodec {

    /** The compression level unless chosen otherwise. */
    public static final int DEFAULT_LEVEL = 3;

    private final int level;

    /**
     * Creates a codec that compresses at level {@value #DEFAULT_LEVEL}.
     *
     * @throws IllegalStateException if zstd-jni is not on the classpath
     */
    public ZstdCodec() {
        this(DEFAULT_LEVEL);
    }

    /**
     * Creates a codec.
     *
     * @param level the Zstandard level: 1 (fastest) to 22 (smallest), or a negative level for even faster
     *              and larger output; higher levels need more memory to write and to read
     * @throws IllegalArgumentException if the level is out of the library's range or zero
     * @throws IllegalStateException if zstd-jni is not on the classpath
     */
    public ZstdCodec(int level) {
        requireLibrary();
        int min = Zstd.minCompressionLevel();
        int max = Zstd.maxCompressionLevel();
        if (level == 0 || level < min || level > max) {
            throw new IllegalArgumentException("level: must be between 1 and " + max + " (or negative down to " + min
                    + " for faster, larger output), was " + level);
        }
        this.level = level;
    }

    private static void requireLibrary() {
        try {
            Class.forName("com.github.luben.zstd.Zstd", false, ZstdCodec.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Zstandard compression needs the library zstd-jni (com.github.luben:zstd-jni), "
                    + "which is not on the classpath; add it, or use gzip or no compression", e);
        }
    }

    /**
     * Returns the compression level.
     *
     * @return the level
     */
    public int level() {
        return level;
    }

    /**
     * Returns {@code zstd}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return "zstd";
    }

    /**
     * Returns a compressing stream; closing it ends the frame and closes {@code encoded}.
     *
     * @param messageId ignored: compression does not depend on the message
     * @param encoded where the compressed body goes
     * @return a stream that takes the plain body
     * @throws IOException if the compressor cannot be set up
     */
    @Override
    public OutputStream encode(String messageId, OutputStream encoded) throws IOException {
        // not closed if setting the checksum fails: that would close, and so commit, the target as well
        return new ZstdOutputStream(Arguments.requireNonNull("encoded", encoded), level).setChecksum(true);
    }

    /**
     * Returns a decompressing stream; a damaged or truncated frame fails when it is read.
     *
     * @param messageId ignored: compression does not depend on the message
     * @param encoded the compressed body
     * @return the plain body
     * @throws IOException if the decompressor cannot be set up
     */
    @Override
    public InputStream decode(String messageId, InputStream encoded) throws IOException {
        return new ZstdInputStream(Arguments.requireNonNull("encoded", encoded));
    }

    /**
     * Describes the codec.
     *
     * @return for example {@code ZstdCodec[level=3]}
     */
    @Override
    public String toString() {
        return "ZstdCodec[level=" + level + "]";
    }
}
