package io.retryspool.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Streams and helpers shared by the codec tests. */
final class CodecTestSupport {

    /** The message id the single-argument helpers encode and decode for. */
    static final String MESSAGE_ID = "m-1";

    /** Compressible text, about 100 KiB. */
    static final byte[] TEXT = "RetrySpool keeps a message safely on disk until a handler has delivered it. "
            .repeat(1_400).getBytes(StandardCharsets.UTF_8);

    private CodecTestSupport() {
    }

    /** Returns a 32-byte key that differs by seed. */
    static byte[] key(int seed) {
        return random(seed, EncryptionKeys.KEY_LENGTH);
    }

    /** Returns pseudo-random bytes, the same for the same arguments. */
    static byte[] random(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Encodes a whole body of message {@value #MESSAGE_ID} in memory. */
    static byte[] encode(DataCodec codec, byte[] plain) throws IOException {
        return encode(codec, MESSAGE_ID, plain);
    }

    /** Encodes a whole body of a message in memory. */
    static byte[] encode(DataCodec codec, String messageId, byte[] plain) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (OutputStream encoder = codec.encode(messageId, encoded)) {
            encoder.write(plain);
        }
        return encoded.toByteArray();
    }

    /** Decodes a whole body of message {@value #MESSAGE_ID} in memory. */
    static byte[] decode(DataCodec codec, byte[] encoded) throws IOException {
        return decode(codec, MESSAGE_ID, encoded);
    }

    /** Decodes a whole body of a message in memory. */
    static byte[] decode(DataCodec codec, String messageId, byte[] encoded) throws IOException {
        try (InputStream plain = codec.decode(messageId, new ByteArrayInputStream(encoded))) {
            return plain.readAllBytes();
        }
    }

    /** Reads a stream to its end and returns the CRC-32 of its bytes. */
    static long crc(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            crc.update(buffer, 0, n);
        }
        return crc.getValue();
    }

    /** Returns the index of {@code needle} in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Returns {@code bytes} with one bit of byte {@code index} flipped. */
    static byte[] flip(byte[] bytes, int index) {
        byte[] copy = bytes.clone();
        copy[index] ^= 0x01;
        return copy;
    }

    /** Returns the concatenation of ranges of {@code bytes}, each given as from, to. */
    static byte[] splice(byte[] bytes, int... ranges) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < ranges.length; i += 2) {
            out.write(bytes, ranges[i], ranges[i + 1] - ranges[i]);
        }
        return out.toByteArray();
    }

    /**
     * The encoded form of a plain stream of message {@value #MESSAGE_ID}, produced on demand: each read pulls plain bytes through the codec's
     * encoder, so neither the plain nor the encoded body is ever held whole. Counts the encoded bytes handed out.
     */
    static final class EncodingStream extends InputStream {
        private final InputStream plain;
        private final Sink sink = new Sink();
        private final OutputStream encoder;
        private final byte[] buffer = new byte[32 * 1024];
        private int position;
        private boolean plainEnded;
        private long handedOut;

        EncodingStream(DataCodec codec, InputStream plain) throws IOException {
            this.plain = plain;
            this.encoder = codec.encode(MESSAGE_ID, sink);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == sink.size()) {
                sink.reset();
                position = 0;
                if (plainEnded) {
                    return -1;
                }
                int n = plain.read(buffer);
                if (n < 0) {
                    plainEnded = true;
                    encoder.close();
                } else {
                    encoder.write(buffer, 0, n);
                }
            }
            int n = Math.min(len, sink.size() - position);
            System.arraycopy(sink.bytes(), position, b, off, n);
            position += n;
            handedOut += n;
            return n;
        }

        /** Returns how many encoded bytes were read so far. */
        long handedOut() {
            return handedOut;
        }

        /** Returns the largest amount of encoded bytes ever waiting to be read. */
        int largestBacklog() {
            return sink.largest;
        }

        private static final class Sink extends ByteArrayOutputStream {
            private int largest;

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                largest = Math.max(largest, count);
            }

            @Override
            public synchronized void write(int b) {
                super.write(b);
                largest = Math.max(largest, count);
            }

            byte[] bytes() {
                return buf;
            }
        }
    }

    /** An output stream that only counts and checksums what it is given. */
    static final class CountingStream extends OutputStream {
        private final CRC32 crc = new CRC32();
        private long count;
        private boolean closed;

        @Override
        public void write(int b) {
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            closed = true;
        }

        long count() {
            return count;
        }

        long crc() {
            return crc.getValue();
        }

        boolean closed() {
            return closed;
        }
    }

    /** Returns a copy of a range, for readable test code. */
    static byte[] range(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
