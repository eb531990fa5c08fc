package io.retryspool.codec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Writes and reads the header of the encrypted body format, builds the associated data that binds a body to
 * its message, derives body keys and segment nonces. The format itself is described in
 * {@link EncryptionCodec}'s javadoc, which is its reference.
 */
final class EncryptedBodyFormat {

    /** The bytes every encrypted body starts with. */
    static final byte[] MAGIC = {'R', 'S', 'P', 'E'};

    /** The format version written and read: the one that binds the message id. */
    static final int VERSION = 2;

    /** The version pre-release builds wrote: it did not bind the message id, and is not read. */
    static final int UNBOUND_PRE_RELEASE_VERSION = 1;

    /** Bytes of random salt for the per-body key. */
    static final int SALT_LENGTH = 16;

    /** Bytes of random nonce prefix. */
    static final int NONCE_PREFIX_LENGTH = 7;

    /** Smallest segment size a body may declare. */
    static final int MIN_SEGMENT_SIZE = 64;

    /** Largest segment size a body may declare: it bounds what a reader holds in memory. */
    static final int MAX_SEGMENT_SIZE = 4 * 1024 * 1024;

    /** Most segments in one body: the segment number has four bytes. */
    static final long MAX_SEGMENTS = 1L << 32;

    private static final int FIXED_HEADER_LENGTH = MAGIC.length + 1 + 1 + 4 + 1;

    private EncryptedBodyFormat() {
    }

    /** A parsed header: the public part, the raw bytes (associated data) and the per-body randomness. */
    record Header(EncryptedBodyHeader info, byte[] bytes, byte[] salt, byte[] noncePrefix) {
    }

    /**
     * Builds a header.
     *
     * @param algorithm the cipher
     * @param segmentSize plain bytes per segment
     * @param keyId the ring key's id
     * @param salt {@value #SALT_LENGTH} random bytes
     * @param noncePrefix {@value #NONCE_PREFIX_LENGTH} random bytes
     * @return the header
     */
    static Header newHeader(EncryptionAlgorithm algorithm, int segmentSize, String keyId, byte[] salt, byte[] noncePrefix) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer header = ByteBuffer.allocate(FIXED_HEADER_LENGTH + id.length + SALT_LENGTH + NONCE_PREFIX_LENGTH);
        header.put(MAGIC).put((byte) VERSION).put((byte) algorithm.id()).putInt(segmentSize).put((byte) id.length)
                .put(id).put(salt).put(noncePrefix);
        return new Header(new EncryptedBodyHeader(VERSION, algorithm, keyId, segmentSize), header.array(),
                salt.clone(), noncePrefix.clone());
    }

    /**
     * Reads and checks a header; the stream is left at the first segment.
     *
     * @param in the encoded body
     * @return the header
     * @throws BodyDecodingException if the bytes are not a header of a supported version
     * @throws IOException if reading fails
     */
    static Header readHeader(InputStream in) throws IOException {
        byte[] fixed = readFully(in, FIXED_HEADER_LENGTH, 0);
        if (!Arrays.equals(fixed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BodyDecodingException("not an encrypted RetrySpool body: it does not start with the magic bytes "
                    + "'RSPE' (was it stored without encryption, or damaged?)");
        }
        int version = fixed[4] & 0xFF;
        if (version == UNBOUND_PRE_RELEASE_VERSION) {
            throw new BodyDecodingException("the encrypted body was written in format version " + version + ", an earlier"
                    + " pre-release format that does not bind the body to its message id; this RetrySpool reads only"
                    + " version " + VERSION + " and cannot read it");
        }
        if (version != VERSION) {
            throw new BodyDecodingException("unsupported encrypted body format version " + version
                    + " (this RetrySpool reads version " + VERSION + ")");
        }
        int algorithmId = fixed[5] & 0xFF;
        EncryptionAlgorithm algorithm = EncryptionAlgorithm.byId(algorithmId);
        if (algorithm == null) {
            throw new BodyDecodingException("unknown encryption algorithm number " + algorithmId
                    + " in the header of the encrypted body");
        }
        int segmentSize = ByteBuffer.wrap(fixed, 6, 4).getInt();
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new BodyDecodingException("invalid segment size " + segmentSize + " in the header of the encrypted body"
                    + " (must be " + MIN_SEGMENT_SIZE + " to " + MAX_SEGMENT_SIZE + ")");
        }
        int keyIdLength = fixed[10] & 0xFF;
        if (keyIdLength < 1 || keyIdLength > EncryptionKeys.MAX_KEY_ID_LENGTH) {
            throw new BodyDecodingException("invalid key id length " + keyIdLength + " in the header of the encrypted body");
        }
        byte[] rest = readFully(in, keyIdLength + SALT_LENGTH + NONCE_PREFIX_LENGTH, FIXED_HEADER_LENGTH);
        String keyId = new String(rest, 0, keyIdLength, StandardCharsets.US_ASCII);
        try {
            EncryptionKeys.requireKeyId("keyId", keyId);
        } catch (IllegalArgumentException e) {
            throw new BodyDecodingException("invalid key id in the header of the encrypted body (damaged header?)");
        }
        byte[] bytes = new byte[fixed.length + rest.length];
        System.arraycopy(fixed, 0, bytes, 0, fixed.length);
        System.arraycopy(rest, 0, bytes, fixed.length, rest.length);
        byte[] salt = Arrays.copyOfRange(rest, keyIdLength, keyIdLength + SALT_LENGTH);
        byte[] noncePrefix = Arrays.copyOfRange(rest, keyIdLength + SALT_LENGTH, rest.length);
        return new Header(new EncryptedBodyHeader(version, algorithm, keyId, segmentSize), bytes, salt, noncePrefix);
    }

    /**
     * Returns what a body's key derivation and every one of its segments authenticate: the whole header,
     * then the length of the message id's UTF-8 bytes as 4 bytes, then those bytes. The message id is not
     * stored in the body; a reader supplies the id it reads the body for, so a body moved to another message
     * fails authentication.
     *
     * @param header the body's header
     * @param messageId the id of the message the body belongs to
     * @return the associated data
     */
    static byte[] associatedData(Header header, String messageId) {
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(header.bytes().length + 4 + id.length)
                .put(header.bytes()).putInt(id.length).put(id).array();
    }

    /**
     * Derives a body's own key from a ring key: HKDF-SHA256 (RFC 5869) with the header's salt, and the
     * associated data (header and message id) as info, so a changed header or another message id yields a
     * different key.
     *
     * @param ringKey the ring key the header names
     * @param header the body's header
     * @param associatedData the {@linkplain #associatedData(Header, String) associated data} of the body
     * @return the body key, for the header's algorithm
     */
    static SecretKeySpec bodyKey(byte[] ringKey, Header header, byte[] associatedData) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(header.salt(), "HmacSHA256"));
            byte[] pseudoRandomKey = hmac.doFinal(ringKey);
            hmac.init(new SecretKeySpec(pseudoRandomKey, "HmacSHA256"));
            Arrays.fill(pseudoRandomKey, (byte) 0);
            hmac.update(associatedData);
            hmac.update((byte) 1);
            byte[] okm = hmac.doFinal();
            try {
                return new SecretKeySpec(okm, 0, EncryptionKeys.KEY_LENGTH, header.info().algorithm().keyAlgorithm());
            } finally {
                Arrays.fill(okm, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /**
     * Writes segment {@code number}'s nonce into {@code nonce}.
     *
     * @param nonce a 12-byte array starting with the nonce prefix
     * @param number the segment number, 0 to 2^32 - 1
     * @param last whether the segment is the body's last one
     */
    static void segmentNonce(byte[] nonce, long number, boolean last) {
        nonce[NONCE_PREFIX_LENGTH] = (byte) (number >>> 24);
        nonce[NONCE_PREFIX_LENGTH + 1] = (byte) (number >>> 16);
        nonce[NONCE_PREFIX_LENGTH + 2] = (byte) (number >>> 8);
        nonce[NONCE_PREFIX_LENGTH + 3] = (byte) number;
        nonce[NONCE_PREFIX_LENGTH + 4] = (byte) (last ? 1 : 0);
    }

    private static byte[] readFully(InputStream in, int length, int alreadyRead) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length == 0 && alreadyRead == 0) {
            throw new BodyDecodingException("not an encrypted RetrySpool body: it is empty (an encrypted body has at"
                    + " least a header and one segment)");
        }
        if (bytes.length < length) {
            throw new BodyDecodingException("the encrypted body is truncated: it ends inside its header, after "
                    + (alreadyRead + bytes.length) + " bytes");
        }
        return bytes;
    }
}
