package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratedBodyTests {

    @Test
    void itYieldsExactlyItsSizeAndChecksumsWhatItYielded() throws Exception {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (GeneratedBody body = new GeneratedBody(100_003, 42)) {
            body.transferTo(copy);
            CRC32C expected = new CRC32C();
            expected.update(copy.toByteArray());

            assertThat(copy.size()).isEqualTo(100_003);
            assertThat(body.produced()).isEqualTo(100_003);
            assertThat(body.checksum()).isEqualTo(expected.getValue());
            assertThat(body.read()).isEqualTo(-1);
        }
    }

    @Test
    void equalSeedsGiveEqualBodiesWhateverTheReadSizes() throws Exception {
        byte[] whole;
        try (GeneratedBody body = new GeneratedBody(5_000, 7)) {
            whole = body.readAllBytes();
        }
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        try (GeneratedBody body = new GeneratedBody(5_000, 7)) {
            byte[] buffer = new byte[13];
            int read;
            while ((read = body.read(buffer, 0, buffer.length)) >= 0) {
                pieces.write(buffer, 0, read);
            }
        }

        assertThat(pieces.toByteArray()).isEqualTo(whole);
        assertThat(GeneratedBody.checksumOf(5_000, 7)).isNotEqualTo(GeneratedBody.checksumOf(5_000, 8));
    }

    @Test
    void itIsNotAllZeros() throws Exception {
        try (GeneratedBody body = new GeneratedBody(4096, 1)) {
            byte[] bytes = body.readAllBytes();
            long zeros = 0;
            for (byte b : bytes) {
                zeros += b == 0 ? 1 : 0;
            }
            assertThat(zeros).isLessThan(100);
        }
    }
}
