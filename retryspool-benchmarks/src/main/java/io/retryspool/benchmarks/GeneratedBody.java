package io.retryspool.benchmarks;

import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * A body of any size made up on the fly: pseudo-random bytes (xorshift64*, so neither compressible nor all
 * zeros) from a seed, never held in memory beyond the caller's buffer. It keeps the CRC-32C of what it has
 * produced, to compare with what a handler reads back.
 */
final class GeneratedBody extends InputStream {

    private final long size;
    private long state;
    private long produced;
    private long word;
    private int wordBytesLeft;
    private final CRC32C checksum = new CRC32C();

    /**
     * Creates a body.
     *
     * @param size the number of bytes it yields before end of stream
     * @param seed the seed; equal seeds and sizes yield equal bytes
     */
    GeneratedBody(long size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("size: must not be negative, got " + size);
        }
        this.size = size;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /** The number of bytes produced so far. */
    long produced() {
        return produced;
    }

    /** The CRC-32C of the bytes produced so far. */
    long checksum() {
        return checksum.getValue();
    }

    /**
     * Computes the CRC-32C of a whole body without keeping it.
     *
     * @param size the size
     * @param seed the seed
     * @return the checksum the body will have
     */
    static long checksumOf(long size, long seed) {
        try (GeneratedBody body = new GeneratedBody(size, seed)) {
            byte[] buffer = new byte[64 * 1024];
            while (body.read(buffer, 0, buffer.length) >= 0) {
                // read to the end; the body checksums itself
            }
            return body.checksum();
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        long left = size - produced;
        if (left <= 0) {
            return -1;
        }
        int count = (int) Math.min(length, left);
        for (int i = 0; i < count; i++) {
            if (wordBytesLeft == 0) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                word = state * 0x2545F4914F6CDD1DL;
                wordBytesLeft = 8;
            }
            buffer[offset + i] = (byte) word;
            word >>>= 8;
            wordBytesLeft--;
        }
        checksum.update(buffer, offset, count);
        produced += count;
        return count;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - produced);
    }

    @Override
    public void close() {
        // nothing to release
    }
}
