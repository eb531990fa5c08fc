package io.retryspool.codec;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.BodyWriter;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import static io.retryspool.storage.TestMessages.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link DataStore} contract against a {@link CodecDataStore} that compresses and then scrambles
 * bodies on their way into an {@link InMemoryDataStore}, and checks that the codecs are really applied, in order.
 */
class CodecDataStoreContractTests extends AbstractDataStoreContractTests {

    private static final byte[] TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(200)
            .getBytes(StandardCharsets.UTF_8);

    @Override
    protected DataStore createStore() {
        return new CodecDataStore(new InMemoryDataStore(), List.of(new DeflateCodec(), new TaggedXorCodec("x", 0x5A)));
    }

    @Test
    void innerStoreHoldsTheEncodedBytes() throws IOException {
        InMemoryDataStore inner = new InMemoryDataStore();
        DeflateCodec deflate = new DeflateCodec();
        TaggedXorCodec xor = new TaggedXorCodec("x", 0x5A);
        CodecDataStore store = new CodecDataStore(inner, List.of(deflate, xor));

        store.store(id(1), new ByteArrayInputStream(TEXT));
        try (BodyWriter writer = store.openWriter(id(2))) {
            writer.write(TEXT);
        }

        byte[] expected = encode(xor, encode(deflate, TEXT));
        assertThat(read(inner, id(1))).isNotEqualTo(TEXT).isEqualTo(expected);
        assertThat(read(inner, id(2))).isEqualTo(expected);
        assertThat(expected.length).as("the text was compressed").isLessThan(TEXT.length / 4);
        assertThat(read(store, id(1))).isEqualTo(TEXT);
    }

    @Test
    void codecsChainInOrderWithTheFirstAppliedFirstWhenWriting() throws IOException {
        InMemoryDataStore inner = new InMemoryDataStore();
        TaggedXorCodec first = new TaggedXorCodec("first", 0x11);
        TaggedXorCodec second = new TaggedXorCodec("second", 0x22);
        CodecDataStore store = new CodecDataStore(inner, List.of(first, second));

        store.store(id(1), new ByteArrayInputStream(TEXT));

        byte[] stored = read(inner, id(1));
        assertThat(stored).isEqualTo(encode(second, encode(first, TEXT)));
        assertThat(stored).isNotEqualTo(encode(first, encode(second, TEXT)));
        assertThat(Arrays.copyOf(stored, 6)).as("the last codec's output is what the inner store holds")
                .isEqualTo("second".getBytes(StandardCharsets.US_ASCII));
        assertThat(read(store, id(1))).as("reading decodes in reverse order").isEqualTo(TEXT);
    }

    private static byte[] encode(DataCodec codec, byte[] plain) throws IOException {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try (OutputStream encoder = codec.encode(CodecTestSupport.MESSAGE_ID, encoded)) {
            encoder.write(plain);
        }
        return encoded.toByteArray();
    }

    private static byte[] read(DataStore store, String id) throws IOException {
        try (InputStream body = store.openReader(id)) {
            return body.readAllBytes();
        }
    }

    /** Compresses with the JDK's deflate streams. */
    private static final class DeflateCodec implements DataCodec {

        @Override
        public String name() {
            return "deflate";
        }

        @Override
        public OutputStream encode(String messageId, OutputStream encoded) {
            return new DeflaterOutputStream(encoded);
        }

        @Override
        public InputStream decode(String messageId, InputStream encoded) {
            return new InflaterInputStream(encoded);
        }
    }

    /**
     * Writes a tag, then every byte XOR a key; decoding checks the tag, so decoding with the wrong codec
     * (or in the wrong order) fails instead of yielding garbage.
     */
    private static final class TaggedXorCodec implements DataCodec {
        private final byte[] tag;
        private final int key;

        private TaggedXorCodec(String tag, int key) {
            this.tag = tag.getBytes(StandardCharsets.US_ASCII);
            this.key = key;
        }

        @Override
        public String name() {
            return "xor-" + new String(tag, StandardCharsets.US_ASCII);
        }

        @Override
        public OutputStream encode(String messageId, OutputStream encoded) throws IOException {
            encoded.write(tag);
            return new FilterOutputStream(encoded) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b ^ key);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    byte[] scrambled = new byte[len];
                    for (int i = 0; i < len; i++) {
                        scrambled[i] = (byte) (b[off + i] ^ key);
                    }
                    out.write(scrambled, 0, len);
                }
            };
        }

        @Override
        public InputStream decode(String messageId, InputStream encoded) throws IOException {
            byte[] found = encoded.readNBytes(tag.length);
            if (!Arrays.equals(found, tag)) {
                throw new IOException("not encoded by " + name());
            }
            return new FilterInputStream(encoded) {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    return b < 0 ? b : (b ^ key) & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) (b[off + i] ^ key);
                    }
                    return n;
                }
            };
        }
    }
}
