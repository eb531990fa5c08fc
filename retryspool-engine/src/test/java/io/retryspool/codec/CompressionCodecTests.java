package io.retryspool.codec;

import io.retryspool.codec.CodecTestSupport.EncodingStream;
import io.retryspool.testing.GeneratedBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static io.retryspool.codec.CodecTestSupport.MESSAGE_ID;
import static io.retryspool.codec.CodecTestSupport.TEXT;
import static io.retryspool.codec.CodecTestSupport.decode;
import static io.retryspool.codec.CodecTestSupport.encode;
import static io.retryspool.codec.CodecTestSupport.flip;
import static io.retryspool.codec.CodecTestSupport.key;
import static io.retryspool.codec.CodecTestSupport.random;
import static io.retryspool.codec.CodecTestSupport.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link GzipCodec}, {@link ZstdCodec}, and building codecs by name with {@link Compression} and {@link DataCodecs}. */
class CompressionCodecTests {

    static Stream<Arguments> codecs() {
        return Stream.of(Arguments.of(new GzipCodec()), Arguments.of(new ZstdCodec()),
                Arguments.of(new GzipCodec(1)), Arguments.of(new ZstdCodec(19)));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void smallBodiesRoundTrip(DataCodec codec) throws IOException {
        for (int size : new int[] {0, 1, 100, 64 * 1024, 64 * 1024 + 1}) {
            byte[] plain = random(size, size);
            assertThat(decode(codec, encode(codec, plain))).as("%d-byte body", size).isEqualTo(plain);
        }
    }

    static Stream<Arguments> defaultCodecs() {
        return Stream.of(Arguments.of(new GzipCodec()), Arguments.of(new ZstdCodec()));
    }

    @ParameterizedTest
    @MethodSource("defaultCodecs")
    void aTwentyMebibyteBodyRoundTripsStreamed(DataCodec codec) throws IOException {
        long size = 20L * 1024 * 1024 + 12_345;

        try (InputStream plain = codec.decode(MESSAGE_ID, new EncodingStream(codec, new GeneratedBody(size, 3)))) {
            assertThat(CodecTestSupport.crc(plain)).isEqualTo(GeneratedBody.crcOf(size, 3));
        }
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void compressibleBodiesShrink(DataCodec codec) throws IOException {
        byte[] encoded = encode(codec, TEXT);

        assertThat(encoded.length).isLessThan(TEXT.length / 20);
        assertThat(decode(codec, encoded)).isEqualTo(TEXT);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void truncatedOrDamagedBodiesFailToDecode(DataCodec codec) throws IOException {
        byte[] encoded = encode(codec, random(1, 100_000));

        assertThatThrownBy(() -> decode(codec, range(encoded, 0, encoded.length - 5))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decode(codec, flip(encoded, encoded.length / 2))).isInstanceOf(IOException.class);
    }

    @Test
    void gzipWritesStandardGzip() throws IOException {
        byte[] encoded = encode(new GzipCodec(), TEXT);

        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(encoded))) {
            assertThat(in.readAllBytes()).isEqualTo(TEXT);
        }
    }

    @Test
    void zstdWritesStandardZstdFrames() throws IOException {
        byte[] encoded = encode(new ZstdCodec(), TEXT);

        assertThat(range(encoded, 0, 4)).containsExactly(0x28, 0xB5, 0x2F, 0xFD);
        assertThat(com.github.luben.zstd.Zstd.decompress(encoded, TEXT.length)).isEqualTo(TEXT);
    }

    @Test
    void levelsOutOfRangeAreRejectedByName() {
        assertThatThrownBy(() -> new GzipCodec(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("level:");
        assertThatThrownBy(() -> new GzipCodec(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("level:");
        assertThatThrownBy(() -> new ZstdCodec(23)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("level:");
        assertThatThrownBy(() -> new ZstdCodec(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("level:");
        assertThat(new ZstdCodec().level()).isEqualTo(3);
        assertThat(new GzipCodec().level()).isEqualTo(6);
        assertThat(new ZstdCodec(-5).level()).isEqualTo(-5);
    }

    @Test
    void compressionChoicesGiveTheirCodecs() {
        assertThat(Compression.NONE.codec()).isEmpty();
        assertThat(Compression.GZIP.codec()).containsInstanceOf(GzipCodec.class);
        assertThat(Compression.ZSTD.codec()).get().isInstanceOfSatisfying(ZstdCodec.class,
                zstd -> assertThat(zstd.level()).isEqualTo(ZstdCodec.DEFAULT_LEVEL));
        assertThat(Compression.GZIP.codec().orElseThrow().name()).isEqualTo("gzip");
        assertThat(Compression.ZSTD.codec().orElseThrow().name()).isEqualTo("zstd");
    }

    @Test
    void compressionChoicesAreFoundByTheirConfigurationNames() {
        assertThat(Compression.fromName("none")).isEqualTo(Compression.NONE);
        assertThat(Compression.fromName(" GZip ")).isEqualTo(Compression.GZIP);
        assertThat(Compression.fromName("zstd")).isEqualTo(Compression.ZSTD);
        assertThatThrownBy(() -> Compression.fromName("lz4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("compression:").hasMessageContaining("none, gzip, zstd")
                .hasMessageContaining("'lz4'");
        assertThatThrownBy(() -> Compression.fromName(null)).hasMessageStartingWith("compression:");
    }

    @Test
    void chainsCompressFirstThenEncrypt() throws IOException {
        EncryptionCodec encryption = new EncryptionCodec(EncryptionKeys.of("k1", key(1)));

        List<DataCodec> chain = DataCodecs.chain(Compression.ZSTD, encryption);

        assertThat(chain).hasSize(2);
        assertThat(chain.get(0)).isInstanceOf(ZstdCodec.class);
        assertThat(chain.get(1)).isSameAs(encryption);
        assertThat(DataCodecs.chain(Compression.NONE, encryption)).containsExactly(encryption);
        assertThat(DataCodecs.chain(Compression.GZIP, null)).singleElement().isInstanceOf(GzipCodec.class);
        assertThat(DataCodecs.chain(Compression.NONE, null)).isEmpty();
        assertThatThrownBy(() -> DataCodecs.chain(null, encryption)).hasMessageStartingWith("compression:");

        byte[] stored = encode(chain.get(1), encode(chain.get(0), TEXT));
        assertThat(stored.length).as("compressed before it was encrypted").isLessThan(TEXT.length / 20);
    }
}
