package io.retryspool.codec;

import io.retryspool.codec.CodecTestSupport.CountingStream;
import io.retryspool.codec.CodecTestSupport.EncodingStream;
import io.retryspool.testing.GeneratedBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static io.retryspool.codec.CodecTestSupport.MESSAGE_ID;
import static io.retryspool.codec.CodecTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encrypts and decrypts a 256 MiB body that never exists in memory: the plain body is generated on the fly,
 * the encoded one is produced on demand and consumed at once, and both ends are compared by CRC-32. With a
 * codec that buffered whole bodies, this would need over half a GiB of heap.
 */
class StreamingMemoryTests {

    private static final long SIZE = 256L * 1024 * 1024 + 17;
    private static final int SEGMENT = EncryptionCodec.DEFAULT_SEGMENT_SIZE;

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aQuarterGibibyteBodyIsEncryptedAndDecryptedWithBoundedMemory(EncryptionAlgorithm algorithm) throws IOException {
        EncryptionCodec codec = new EncryptionCodec(EncryptionKeys.of("k1", key(1)), algorithm);
        EncodingStream encoded = new EncodingStream(codec, new GeneratedBody(SIZE, 42));
        Runtime runtime = Runtime.getRuntime();
        long heapBefore = usedHeap(runtime);
        long peakHeap = heapBefore;

        long crc;
        try (InputStream plain = codec.decode(MESSAGE_ID, encoded)) {
            CRC32 checksum = new CRC32();
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = plain.read(buffer)) > 0) {
                checksum.update(buffer, 0, n);
                total += n;
                if ((total & (32 * 1024 * 1024 - 1)) < n) {
                    peakHeap = Math.max(peakHeap, usedHeap(runtime));
                }
            }
            assertThat(total).isEqualTo(SIZE);
            crc = checksum.getValue();
        }

        assertThat(crc).isEqualTo(GeneratedBody.crcOf(SIZE, 42));
        long segments = (SIZE + SEGMENT - 1) / SEGMENT;
        assertThat(encoded.handedOut()).isEqualTo(36 + SIZE + segments * 16);
        assertThat(encoded.largestBacklog()).isLessThanOrEqualTo(SEGMENT + 16 + 36);
        // a loose, GC-dependent sanity bound: far below the body's size
        assertThat(peakHeap - heapBefore).as("heap growth while streaming").isLessThan(SIZE / 2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void encodingAQuarterGibibyteBodyWritesItOutAsItGoes() throws IOException {
        EncryptionCodec codec = new EncryptionCodec(EncryptionKeys.of("k1", key(1)), EncryptionAlgorithm.AES256GCM);
        CountingStream target = new CountingStream();
        GeneratedBody plain = new GeneratedBody(SIZE, 43);
        byte[] buffer = new byte[100_000];
        long written = 0;
        try (OutputStream out = codec.encode(MESSAGE_ID, target)) {
            int n;
            while ((n = plain.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                written += n;
                assertThat(written - (target.count() - 36 - target.count() / (SEGMENT + 16) * 16))
                        .as("plain bytes held back by the encoder").isLessThanOrEqualTo(SEGMENT);
            }
        }

        long segments = (SIZE + SEGMENT - 1) / SEGMENT;
        assertThat(target.count()).isEqualTo(36 + SIZE + segments * 16);
        assertThat(target.closed()).isTrue();
    }

    private static long usedHeap(Runtime runtime) {
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
