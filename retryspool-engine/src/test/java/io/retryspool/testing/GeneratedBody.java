package io.retryspool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * A deterministic pseudo-random body of a given size, generated as it is read and never held whole. The bytes
 * depend only on size and seed, not on how the stream is read. Tracks the CRC-32 of what it handed out.
 */
public final class GeneratedBody extends InputStream {

    private final SplittableRandom random;
    private final CRC32 crc = new CRC32();
    private long remaining;
    private long bits;
    private int bitsLeft;

    /**
     * Creates the stream.
     *
     * @param size how many bytes it yields
     * @param seed what makes its content differ from other streams'
     */
    public GeneratedBody(long size, long seed) {
        this.random = new SplittableRandom(seed);
        this.remaining = size;
    }

    private byte next() {
        if (bitsLeft == 0) {
            bits = random.nextLong();
            bitsLeft = 8;
        }
        byte b = (byte) bits;
        bits >>>= 8;
        bitsLeft--;
        return b;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        remaining--;
        byte b = next();
        crc.update(b);
        return b & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            buffer[off + i] = next();
        }
        crc.update(buffer, off, n);
        remaining -= n;
        return n;
    }

    /**
     * Returns the CRC-32 of the bytes handed out so far.
     *
     * @return the checksum
     */
    public long crc() {
        return crc.getValue();
    }

    /**
     * Returns the CRC-32 of a whole generated body.
     *
     * @param size its size
     * @param seed its seed
     * @return the checksum
     */
    public static long crcOf(long size, long seed) {
        GeneratedBody body = new GeneratedBody(size, seed);
        byte[] buffer = new byte[64 * 1024];
        while (body.read(buffer, 0, buffer.length) > 0) {
            // reading is what computes the checksum
        }
        return body.crc();
    }

    /**
     * Returns the whole body as bytes, for small sizes.
     *
     * @param size its size
     * @param seed its seed
     * @return the bytes
     * @throws IOException never
     */
    public static byte[] bytes(int size, long seed) throws IOException {
        return new GeneratedBody(size, seed).readAllBytes();
    }
}
