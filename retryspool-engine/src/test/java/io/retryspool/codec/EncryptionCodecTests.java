package io.retryspool.codec;

import io.retryspool.StorageException;
import io.retryspool.codec.CodecTestSupport.EncodingStream;
import io.retryspool.testing.GeneratedBody;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.memory.InMemoryDataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static io.retryspool.codec.CodecTestSupport.MESSAGE_ID;
import static io.retryspool.codec.CodecTestSupport.TEXT;
import static io.retryspool.codec.CodecTestSupport.decode;
import static io.retryspool.codec.CodecTestSupport.encode;
import static io.retryspool.codec.CodecTestSupport.flip;
import static io.retryspool.codec.CodecTestSupport.indexOf;
import static io.retryspool.codec.CodecTestSupport.key;
import static io.retryspool.codec.CodecTestSupport.random;
import static io.retryspool.codec.CodecTestSupport.range;
import static io.retryspool.codec.CodecTestSupport.splice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EncryptionCodec}: round trips, the stored format, binding to the message, tamper detection, keys and
 * rotation. Most tests use
 * the default 64 KiB segments; "segment" below means one segment of plain bytes.
 */
class EncryptionCodecTests {

    private static final int SEGMENT = EncryptionCodec.DEFAULT_SEGMENT_SIZE;
    private static final int TAG = 16;
    private static final int HEADER_K1 = 34 + 2;
    private static final String AUTHENTICATION_FAILED = "authentication failed";

    private final EncryptionKeys k1 = EncryptionKeys.of("k1", key(1));
    private final EncryptionCodec aes = new EncryptionCodec(k1, EncryptionAlgorithm.AES256GCM);

    // ---------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void bodiesOfEverySizeAroundSegmentBoundariesRoundTrip(EncryptionAlgorithm algorithm) throws IOException {
        EncryptionCodec codec = new EncryptionCodec(k1, algorithm);
        for (int size : new int[] {0, 1, 100, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT, 3 * SEGMENT + 7}) {
            byte[] plain = random(size, size);

            byte[] encoded = encode(codec, plain);

            int segments = Math.max(1, (size + SEGMENT - 1) / SEGMENT);
            assertThat(encoded).as("encoded size of a %d-byte body", size)
                    .hasSize(HEADER_K1 + size + segments * TAG);
            assertThat(decode(codec, encoded)).as("decoded %d-byte body", size).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void aTwentyMebibyteBodyRoundTripsStreamed(EncryptionAlgorithm algorithm) throws IOException {
        EncryptionCodec codec = new EncryptionCodec(k1, algorithm);
        long size = 20L * 1024 * 1024 + 12_345;

        try (InputStream plain = codec.decode(MESSAGE_ID, new EncodingStream(codec, new GeneratedBody(size, 7)))) {
            assertThat(CodecTestSupport.crc(plain)).isEqualTo(GeneratedBody.crcOf(size, 7));
        }
    }

    @Test
    void bodiesWrittenInSingleBytesAndOddPiecesRoundTrip() throws IOException {
        byte[] plain = random(3, 3 * SEGMENT + 11);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (OutputStream out = aes.encode(MESSAGE_ID, encoded)) {
            int i = 0;
            int piece = 1;
            while (i < plain.length) {
                if (piece == 1) {
                    out.write(plain[i]);
                } else {
                    out.write(plain, i, Math.min(piece, plain.length - i));
                }
                i += Math.min(piece, plain.length - i);
                piece = piece > 200_000 ? 1 : piece * 7 + 1;
                out.flush();
            }
        }

        assertThat(encoded.size()).isEqualTo(HEADER_K1 + plain.length + 4 * TAG);
        try (InputStream in = aes.decode(MESSAGE_ID, new ByteArrayInputStream(encoded.toByteArray()))) {
            byte[] read = new byte[plain.length];
            int n = 0;
            for (; n < 1_000; n++) {
                read[n] = (byte) in.read();
            }
            n += in.readNBytes(read, n, read.length - n);
            assertThat(n).isEqualTo(plain.length);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(read).isEqualTo(plain);
        }
    }

    @Test
    void encryptedBytesDoNotContainThePlaintext() throws IOException {
        byte[] encoded = encode(aes, TEXT);

        assertThat(indexOf(encoded, "RetrySpool keeps".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(indexOf(encoded, range(TEXT, 5_000, 5_008))).isEqualTo(-1);
        assertThat(decode(aes, encoded)).isEqualTo(TEXT);
    }

    @Test
    void encryptingTheSameBodyTwiceGivesDifferentBytes() throws IOException {
        byte[] first = encode(aes, TEXT);
        byte[] second = encode(aes, TEXT);

        assertThat(range(first, HEADER_K1, first.length)).isNotEqualTo(range(second, HEADER_K1, second.length));
        assertThat(range(first, 0, HEADER_K1 - 23)).as("the fixed part of the header")
                .isEqualTo(range(second, 0, HEADER_K1 - 23));
    }

    @Test
    void bodiesWrittenWithOneAlgorithmAreReadByACodecConfiguredForTheOther() throws IOException {
        EncryptionCodec chacha = new EncryptionCodec(k1, EncryptionAlgorithm.CHACHA20POLY1305);

        assertThat(decode(chacha, encode(aes, TEXT))).isEqualTo(TEXT);
        assertThat(decode(aes, encode(chacha, TEXT))).isEqualTo(TEXT);
    }

    @Test
    void aChosenSegmentSizeIsRecordedAndUsed() throws IOException {
        EncryptionCodec small = new EncryptionCodec(k1, EncryptionAlgorithm.AES256GCM, 1_000);

        byte[] encoded = encode(small, TEXT);

        assertThat(EncryptionCodec.readHeader(new ByteArrayInputStream(encoded)).segmentSize()).isEqualTo(1_000);
        int segments = (TEXT.length + 999) / 1_000;
        assertThat(encoded).hasSize(HEADER_K1 + TEXT.length + segments * TAG);
        assertThat(decode(aes, encoded)).as("any codec reads any segment size").isEqualTo(TEXT);
    }

    // ---------------------------------------------------------------- format

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void theHeaderNamesMagicVersionAlgorithmSegmentSizeAndKeyId(EncryptionAlgorithm algorithm) throws IOException {
        byte[] encoded = encode(new EncryptionCodec(k1, algorithm), TEXT);

        ByteBuffer header = ByteBuffer.wrap(encoded);
        byte[] magic = new byte[4];
        header.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("RSPE");
        assertThat(header.get()).as("format version").isEqualTo((byte) 2);
        assertThat(header.get()).as("algorithm").isEqualTo((byte) (algorithm == EncryptionAlgorithm.AES256GCM ? 1 : 2));
        assertThat(header.getInt()).as("segment size").isEqualTo(SEGMENT);
        assertThat(header.get()).as("key id length").isEqualTo((byte) 2);
        assertThat(new String(encoded, 11, 2, StandardCharsets.US_ASCII)).isEqualTo("k1");

        assertThat(EncryptionCodec.readHeader(new ByteArrayInputStream(encoded)))
                .isEqualTo(new EncryptedBodyHeader(2, algorithm, "k1", SEGMENT));
    }

    @Test
    void bodiesOfThePreReleaseFormatVersionOneAreRejectedSayingTheyDoNotBindTheMessageId() throws IOException {
        byte[] versionOne = encode(aes, TEXT);
        versionOne[4] = 1;

        assertThatThrownBy(() -> decode(aes, versionOne)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("format version 1").hasMessageContaining("pre-release")
                .hasMessageContaining("does not bind the body to its message id");
        assertThatThrownBy(() -> EncryptionCodec.readHeader(new ByteArrayInputStream(versionOne)))
                .as("reading the header without a key").isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("format version 1").hasMessageContaining("pre-release");
    }

    // ---------------------------------------------------------------- binding to the message

    @ParameterizedTest
    @EnumSource(EncryptionAlgorithm.class)
    void aBodyEncryptedForOneMessageFailsToDecodeAsAnother(EncryptionAlgorithm algorithm) throws IOException {
        EncryptionCodec codec = new EncryptionCodec(k1, algorithm);
        byte[] encoded = encode(codec, "m-alice", TEXT);

        assertThat(decode(codec, "m-alice", encoded)).isEqualTo(TEXT);
        for (String other : List.of("m-bob", "m-alice0", "m-alic", "M-ALICE", " m-alice", "")) {
            assertThatThrownBy(() -> decode(codec, other, encoded)).as("read as message '%s'", other)
                    .isInstanceOf(BodyDecodingException.class).hasMessageContaining(AUTHENTICATION_FAILED)
                    .hasMessageContaining("segment 0").hasMessageContaining("message '" + other + "'")
                    .hasMessageContaining("written for another message");
        }
    }

    @Test
    void theMessageIdIsBoundAsUtf8ButNotStoredInTheBody() throws IOException {
        String id = "nachricht-\u00fc-\u6d88\u606f";
        byte[] encoded = encode(aes, id, TEXT);

        assertThat(decode(aes, id, encoded)).isEqualTo(TEXT);
        assertThatThrownBy(() -> decode(aes, "nachricht-u-\u6d88\u606f", encoded))
                .isInstanceOf(BodyDecodingException.class).hasMessageContaining(AUTHENTICATION_FAILED);
        assertThat(encoded).hasSize(HEADER_K1 + TEXT.length + 2 * TAG);
        assertThat(indexOf(encoded, id.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- tampering

    @Test
    void flippingAnyByteOfTheHeaderFailsWhenTheBodyIsOpened() throws IOException {
        byte[] encoded = encode(aes, TEXT);

        for (int i = 0; i < HEADER_K1; i++) {
            byte[] tampered = flip(encoded, i);
            assertThatThrownBy(() -> decode(aes, tampered)).as("byte %d of the header flipped", i)
                    .isInstanceOf(BodyDecodingException.class);
        }
        assertThatThrownBy(() -> decode(aes, flip(encoded, 0))).hasMessageContaining("not an encrypted RetrySpool body");
        assertThatThrownBy(() -> decode(aes, flip(encoded, 4)))
                .hasMessageContaining("unsupported encrypted body format version");
        assertThatThrownBy(() -> decode(aes, flip(encoded, 12)))
                .hasMessageContaining("'k0'").hasMessageContaining("not in the key ring");
        assertThatThrownBy(() -> decode(aes, flip(encoded, HEADER_K1 - 1))).hasMessageContaining(AUTHENTICATION_FAILED);
    }

    @Test
    void flippingAByteInAMiddleSegmentFailsWhenThatSegmentIsReadAndHandsOutNoneOfIt() throws IOException {
        byte[] plain = random(1, 3 * SEGMENT + 100);
        byte[] encoded = encode(aes, plain);
        byte[] tampered = flip(encoded, HEADER_K1 + (SEGMENT + TAG) + 5_000);

        try (InputStream in = aes.decode(MESSAGE_ID, new ByteArrayInputStream(tampered))) {
            byte[] firstSegment = in.readNBytes(SEGMENT);
            assertThat(firstSegment).isEqualTo(range(plain, 0, SEGMENT));
            assertThatThrownBy(in::read).isInstanceOf(BodyDecodingException.class)
                    .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("segment 1");
            assertThatThrownBy(() -> in.read(new byte[10])).as("the stream stays failed")
                    .isInstanceOf(BodyDecodingException.class).hasMessageContaining(AUTHENTICATION_FAILED);
        }
    }

    @Test
    void flippingAByteOfTheLastTagFails() throws IOException {
        byte[] encoded = encode(aes, random(1, 2 * SEGMENT + 100));

        assertThatThrownBy(() -> decode(aes, flip(encoded, encoded.length - 1)))
                .isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("segment 2");
    }

    @Test
    void truncatingTheLastSegmentFails() throws IOException {
        byte[] encoded = encode(aes, random(1, 2 * SEGMENT + 100));

        for (int cut : new int[] {1, TAG - 1, TAG, TAG + 1, 100 + TAG - 1}) {
            byte[] truncated = range(encoded, 0, encoded.length - cut);
            assertThatThrownBy(() -> decode(aes, truncated)).as("%d bytes cut off", cut)
                    .isInstanceOf(BodyDecodingException.class).hasMessageContaining("segment 2");
        }
    }

    @Test
    void droppingTheWholeLastSegmentFails() throws IOException {
        byte[] encoded = encode(aes, random(1, 2 * SEGMENT + 100));

        byte[] truncated = range(encoded, 0, HEADER_K1 + 2 * (SEGMENT + TAG));

        assertThatThrownBy(() -> decode(aes, truncated)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("segment 1");
    }

    @Test
    void droppingOrReorderingMiddleSegmentsFails() throws IOException {
        byte[] encoded = encode(aes, random(1, 3 * SEGMENT + 100));
        int s1 = HEADER_K1 + (SEGMENT + TAG);
        int s2 = s1 + (SEGMENT + TAG);
        int s3 = s2 + (SEGMENT + TAG);

        byte[] dropped = splice(encoded, 0, s1, s2, encoded.length);
        byte[] swapped = splice(encoded, 0, s1, s2, s3, s1, s2, s3, encoded.length);
        byte[] duplicated = splice(encoded, 0, s2, s1, encoded.length);

        for (byte[] tampered : List.of(dropped, swapped)) {
            assertThatThrownBy(() -> decode(aes, tampered)).isInstanceOf(BodyDecodingException.class)
                    .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("segment 1");
        }
        assertThatThrownBy(() -> decode(aes, duplicated)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("segment 2");
    }

    @Test
    void appendingBytesFails() throws IOException {
        byte[] encoded = encode(aes, random(1, 2 * SEGMENT + 100));
        int s1 = HEADER_K1 + (SEGMENT + TAG);

        byte[] oneByte = Arrays.copyOf(encoded, encoded.length + 1);
        byte[] aSegment = splice(encoded, 0, encoded.length, s1, s1 + SEGMENT + TAG);
        byte[] anotherBody = splice(encoded, 0, encoded.length, 0, encoded.length);

        for (byte[] tampered : List.of(oneByte, aSegment, anotherBody)) {
            assertThatThrownBy(() -> decode(aes, tampered)).isInstanceOf(BodyDecodingException.class)
                    .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("segment 2");
        }
    }

    @Test
    void anEmptyBodyCannotBeTruncatedOrExtendedUnnoticed() throws IOException {
        byte[] encoded = encode(aes, new byte[0]);

        assertThatThrownBy(() -> decode(aes, range(encoded, 0, HEADER_K1)))
                .isInstanceOf(BodyDecodingException.class).hasMessageContaining("no segment follows the header");
        assertThatThrownBy(() -> decode(aes, Arrays.copyOf(encoded, encoded.length + TAG)))
                .isInstanceOf(BodyDecodingException.class).hasMessageContaining(AUTHENTICATION_FAILED);
    }

    @Test
    void everySingleBitFlipAndEveryTruncationOfASmallSegmentedBodyFails() throws IOException {
        EncryptionCodec small = new EncryptionCodec(k1, EncryptionAlgorithm.CHACHA20POLY1305, 64);
        byte[] plain = random(9, 64 * 3 + 10);
        byte[] encoded = encode(small, plain);
        assertThat(decode(small, encoded)).isEqualTo(plain);

        for (int i = 0; i < encoded.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = encoded.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> decode(small, tampered)).as("bit %d of byte %d flipped", bit, i)
                        .isInstanceOf(BodyDecodingException.class);
            }
        }
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = range(encoded, 0, length);
            assertThatThrownBy(() -> decode(small, truncated)).as("truncated to %d bytes", length)
                    .isInstanceOf(BodyDecodingException.class);
        }
    }

    @Test
    void bytesThatAreNotAnEncryptedBodyAreRejectedByTheirMagic() throws IOException {
        byte[] gzipped = encode(new GzipCodec(), TEXT);

        assertThatThrownBy(() -> decode(aes, gzipped)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("not an encrypted RetrySpool body").hasMessageContaining("magic");
        assertThatThrownBy(() -> decode(aes, TEXT)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> decode(aes, new byte[0])).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> decode(aes, range(encode(aes, TEXT), 0, 20))).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("truncated").hasMessageContaining("header");
    }

    // ---------------------------------------------------------------- keys

    @Test
    void aWrongKeyUnderTheSameIdFailsAuthentication() throws IOException {
        byte[] encoded = encode(aes, TEXT);
        EncryptionCodec impostor = new EncryptionCodec(EncryptionKeys.of("k1", key(2)));

        assertThatThrownBy(() -> decode(impostor, encoded)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining(AUTHENTICATION_FAILED).hasMessageContaining("key 'k1'")
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(key(1)))
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(key(2)));
    }

    @Test
    void anUnknownKeyIdFailsNamingTheMissingKey() throws IOException {
        byte[] encoded = encode(aes, TEXT);
        EncryptionCodec other = new EncryptionCodec(EncryptionKeys.of("k2", key(1)));

        assertThatThrownBy(() -> decode(other, encoded)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("'k1'").hasMessageContaining("not in the key ring").hasMessageContaining("[k2]");
    }

    @Test
    void keysRotateOldBodiesStayReadableAndNewBodiesUseThePrimaryKey() throws IOException {
        byte[] old = encode(new EncryptionCodec(EncryptionKeys.of("k1", key(1))), TEXT);

        EncryptionCodec rotated = new EncryptionCodec(EncryptionKeys.builder()
                .key("k1", key(1)).key("k2", key(2)).primary("k2").build());
        byte[] fresh = encode(rotated, TEXT);

        assertThat(decode(rotated, old)).isEqualTo(TEXT);
        assertThat(decode(rotated, fresh)).isEqualTo(TEXT);
        assertThat(EncryptionCodec.readHeader(new ByteArrayInputStream(old)).keyId()).isEqualTo("k1");
        assertThat(EncryptionCodec.readHeader(new ByteArrayInputStream(fresh)).keyId()).isEqualTo("k2");
        assertThat(new String(fresh, 11, 2, StandardCharsets.US_ASCII)).isEqualTo("k2");

        EncryptionCodec retired = new EncryptionCodec(EncryptionKeys.of("k2", key(2)));
        assertThat(decode(retired, fresh)).isEqualTo(TEXT);
        assertThatThrownBy(() -> decode(retired, old)).isInstanceOf(BodyDecodingException.class)
                .hasMessageContaining("key 'k1'").hasMessageContaining("not in the key ring");
    }

    @Test
    void theRingKeepsACopyOfTheKeyBytes() throws IOException {
        byte[] material = key(1);
        EncryptionCodec codec = new EncryptionCodec(EncryptionKeys.of("k1", material));
        byte[] encoded = encode(codec, TEXT);

        Arrays.fill(material, (byte) 0);

        assertThat(decode(codec, encoded)).isEqualTo(TEXT);
        assertThat(decode(aes, encoded)).isEqualTo(TEXT);
    }

    // ---------------------------------------------------------------- through a store

    @Test
    void aStoreReportsUndecryptableBodiesAsStorageExceptionsNamingMessageAndKey() throws IOException {
        InMemoryDataStore inner = new InMemoryDataStore();
        new CodecDataStore(inner, List.of(aes)).store("m1", new ByteArrayInputStream(TEXT));
        CodecDataStore withoutK1 = new CodecDataStore(inner, List.of(new EncryptionCodec(EncryptionKeys.of("k2", key(2)))));

        assertThatThrownBy(() -> withoutK1.openReader("m1")).isInstanceOf(StorageException.class)
                .hasMessageContaining("m1").hasMessageContaining("'k1'")
                .hasCauseInstanceOf(BodyDecodingException.class);
    }

    @Test
    void aStoreReadingATamperedBodyFailsInReadWithAClearMessage() throws IOException {
        InMemoryDataStore inner = new InMemoryDataStore();
        CodecDataStore store = new CodecDataStore(inner, List.of(new GzipCodec(), aes));
        byte[] plain = random(4, 3 * SEGMENT);
        try (BodyWriter writer = store.openWriter("m1")) {
            writer.write(plain);
        }
        byte[] encoded;
        try (InputStream raw = inner.openReader("m1")) {
            encoded = raw.readAllBytes();
        }
        inner.delete("m1");
        inner.store("m1", new ByteArrayInputStream(flip(encoded, encoded.length - 10)));

        try (InputStream in = store.openReader("m1")) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(BodyDecodingException.class)
                    .hasMessageContaining(AUTHENTICATION_FAILED);
        }
    }

    // ---------------------------------------------------------------- streaming and lifecycle

    @Test
    void encodingEmitsSegmentsAsItGoesAndDecodingReadsOnlyAheadOfWhatItHandsOut() throws IOException {
        long size = 40L * SEGMENT + 3;
        EncodingStream encoded = new EncodingStream(aes, new GeneratedBody(size, 5));
        int slack = HEADER_K1 + 2 * (SEGMENT + TAG) + 1;

        try (InputStream plain = aes.decode(MESSAGE_ID, encoded)) {
            byte[] buffer = new byte[10_000];
            long produced = 0;
            int n;
            while ((n = plain.read(buffer)) > 0) {
                produced += n;
                assertThat(encoded.handedOut()).as("encoded bytes read when %d plain bytes were handed out", produced)
                        .isLessThanOrEqualTo(produced + produced / SEGMENT * TAG + slack);
            }
            assertThat(produced).isEqualTo(size);
        }
        assertThat(encoded.largestBacklog()).as("encoded bytes the encoder held back at once")
                .isLessThanOrEqualTo(SEGMENT + TAG + HEADER_K1);
    }

    @Test
    void closingTheEncoderTwiceIsHarmlessAndWritingAfterCloseFails() throws IOException {
        CodecTestSupport.CountingStream target = new CodecTestSupport.CountingStream();
        OutputStream out = aes.encode(MESSAGE_ID, target);
        out.write(TEXT);
        out.close();
        long written = target.count();

        out.close();

        assertThat(target.closed()).isTrue();
        assertThat(target.count()).isEqualTo(written).isEqualTo(HEADER_K1 + TEXT.length + 2L * TAG);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> out.write(TEXT, 0, 10)).isInstanceOf(IOException.class);
    }

    @Test
    void aFailureWhileWritingTheLastSegmentLeavesTheTargetOpenSoThatItCanBeAborted() throws IOException {
        boolean[] closed = new boolean[1];
        OutputStream failing = new OutputStream() {
            private int writes;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (++writes > 1) {
                    throw new IOException("disk full");
                }
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream out = aes.encode(MESSAGE_ID, failing);
        out.write(TEXT, 0, 100);

        assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(closed[0]).isFalse();
    }

    @Test
    void readingAfterCloseFailsAndClosingTheDecoderClosesItsSource() throws IOException {
        boolean[] closed = new boolean[1];
        InputStream source = new ByteArrayInputStream(encode(aes, TEXT)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        InputStream in = aes.decode(MESSAGE_ID, source);
        in.readNBytes(10);

        in.close();
        in.close();

        assertThat(closed[0]).isTrue();
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------- arguments

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 63, 4 * 1024 * 1024 + 1})
    void segmentSizesOutOfRangeAreRejected(int segmentSize) {
        assertThatThrownBy(() -> new EncryptionCodec(k1, EncryptionAlgorithm.AES256GCM, segmentSize))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("segmentSize:");
    }

    @Test
    void missingArgumentsAreRejectedByName() {
        assertThatThrownBy(() -> new EncryptionCodec(null)).hasMessageStartingWith("keys:");
        assertThatThrownBy(() -> new EncryptionCodec(k1, null)).hasMessageStartingWith("algorithm:");
        assertThatThrownBy(() -> aes.encode(null, new ByteArrayOutputStream())).hasMessageStartingWith("messageId:");
        assertThatThrownBy(() -> aes.decode(null, new ByteArrayInputStream(encode(aes, TEXT))))
                .hasMessageStartingWith("messageId:");
    }

    @Test
    void theCodecIsNamedAfterItsAlgorithmAndDescribedWithoutKeyMaterial() {
        assertThat(aes.name()).isEqualTo("AES256GCM");
        assertThat(new EncryptionCodec(k1, EncryptionAlgorithm.CHACHA20POLY1305).name()).isEqualTo("CHACHA20POLY1305");
        assertThat(aes.toString()).contains("k1").doesNotContain(Base64.getEncoder().encodeToString(key(1)));
    }
}
