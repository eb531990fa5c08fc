package io.retryspool.codec;

import io.retryspool.checks.Arguments;

import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;

/**
 * Encrypts bodies with an authenticated cipher, streaming with bounded memory in both directions.
 *
 * <p>A body is cut into segments ({@value #DEFAULT_SEGMENT_SIZE} plain bytes by default) that are encrypted
 * one by one, each under its own nonce, so neither direction ever holds more than about two segments, and
 * a reader hands out a segment only after verifying its tag. Every body starts with a clear-text header
 * that names the format version, the {@link EncryptionAlgorithm} and the id of the ring key used. The
 * header and the id of the message the body belongs to (which is not stored in the body: the reader
 * supplies it) are authenticated with every segment, and the last segment is marked as such, so a changed
 * header, a changed, dropped, reordered or appended segment, a truncated body, or a body copied or moved to
 * another message fails to decode with a {@link BodyDecodingException} instead of yielding wrong bytes.
 * Each body gets its own key, derived from the ring key with HKDF-SHA256, a random salt and the message
 * id, so the number of bodies one ring key may encrypt is not limited by nonce collisions.
 *
 * <p>The stored format (version 2; numbers big-endian):
 * <pre>
 * header, 34 + n bytes, in clear:
 *   offset  size
 *   0       4    magic "RSPE"
 *   4       1    format version: 2
 *   5       1    algorithm: 1 = AES256GCM, 2 = CHACHA20POLY1305
 *   6       4    segment size: plain bytes per segment, 64 to 4 MiB (65,536 by default)
 *   10      1    n: length of the key id, 1 to 32
 *   11      n    key id, US-ASCII
 *   11+n    16   salt, random per body
 *   27+n    7    nonce prefix, random per body
 * then one or more segments:
 *   the encrypted segment (segment-size bytes; in the last segment fewer, none for an empty body)
 *   followed by its 16-byte tag
 * associated data = the whole header | m as 4 bytes | the message id in UTF-8, m bytes (not stored)
 * body key     = HKDF-SHA256(ikm = ring key, salt = salt, info = associated data), 32 bytes
 * each segment is encrypted under the body key with the associated data as its AAD
 * nonce of segment i (12 bytes) = nonce prefix | i as 4 bytes | 1 if i is the last segment, else 0
 * </pre>
 * A reader knows a segment is the last one when the stream ends after it. Version 1, written by earlier
 * pre-release builds, had the same layout but bound only the header, not the message id; such bodies are
 * rejected with a {@link BodyDecodingException} that says so.
 *
 * <p>New bodies are written with this codec's algorithm and the ring's primary key; bodies are read with
 * whatever algorithm and key id their header names, so changing either keeps older bodies readable as long
 * as the ring still holds their key (see {@link EncryptionKeys} on rotation).
 *
 * <p>When bodies are both compressed and encrypted, compress first: encrypted bytes look random and do not
 * compress. {@link DataCodecs#chain(Compression, DataCodec)} puts the codecs in that order. Encryption hides
 * a body's content but not its approximate size (nor, with compression, how well it compresses).
 *
 * <p>Instances are immutable and safe for use by several threads.
 */
public final class EncryptionCodec implements DataCodec {

    /** Plain bytes per segment unless chosen otherwise: 64 KiB. */
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;

    /** Smallest segment size, in bytes. */
    public static final int MIN_SEGMENT_SIZE = EncryptedBodyFormat.MIN_SEGMENT_SIZE;

    /** Largest segment size, in bytes: readers hold a segment in memory. */
    public static final int MAX_SEGMENT_SIZE = EncryptedBodyFormat.MAX_SEGMENT_SIZE;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKeys keys;
    private final EncryptionAlgorithm algorithm;
    private final int segmentSize;

    /**
     * Creates a codec that encrypts with {@link EncryptionAlgorithm#AES256GCM}.
     *
     * @param keys the key ring
     * @throws IllegalArgumentException if {@code keys} is null
     */
    public EncryptionCodec(EncryptionKeys keys) {
        this(keys, EncryptionAlgorithm.AES256GCM);
    }

    /**
     * Creates a codec with the default segment size.
     *
     * @param keys the key ring
     * @param algorithm the cipher new bodies are encrypted with
     * @throws IllegalArgumentException if an argument is null
     */
    public EncryptionCodec(EncryptionKeys keys, EncryptionAlgorithm algorithm) {
        this(keys, algorithm, DEFAULT_SEGMENT_SIZE);
    }

    /**
     * Creates a codec.
     *
     * @param keys the key ring
     * @param algorithm the cipher new bodies are encrypted with
     * @param segmentSize plain bytes per segment of new bodies, {@value #MIN_SEGMENT_SIZE} to
     *                    {@value #MAX_SEGMENT_SIZE}; each segment costs 16 bytes of tag
     * @throws IllegalArgumentException if an argument is null or the segment size is out of range
     */
    public EncryptionCodec(EncryptionKeys keys, EncryptionAlgorithm algorithm, int segmentSize) {
        this.keys = Arguments.requireNonNull("keys", keys);
        this.algorithm = Arguments.requireNonNull("algorithm", algorithm);
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("segmentSize: must be between " + MIN_SEGMENT_SIZE + " and "
                    + MAX_SEGMENT_SIZE + ", was " + segmentSize);
        }
        this.segmentSize = segmentSize;
        // fail now rather than at the first body if the JDK lacks the cipher
        SegmentEncryptingOutputStream.newCipher(algorithm);
    }

    /**
     * Returns the key ring.
     *
     * @return the ring
     */
    public EncryptionKeys keys() {
        return keys;
    }

    /**
     * Returns the cipher new bodies are encrypted with.
     *
     * @return the algorithm
     */
    public EncryptionAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Returns the plain bytes per segment of new bodies.
     *
     * @return the segment size
     */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * Returns the algorithm's name, such as {@code AES256GCM}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return algorithm.name();
    }

    /**
     * Writes the header at once and returns a stream that encrypts segment by segment, bound to the
     * message id; closing it writes the last segment and closes {@code encoded}. {@code flush()} cannot push
     * out a partial segment.
     *
     * @param messageId the id of the message the body belongs to; only a reader that names the same id can
     *                  decrypt the body
     * @param encoded where the encrypted body goes
     * @return a stream that takes the plain body
     * @throws IOException if the header cannot be written
     * @throws IllegalArgumentException if an argument is null
     */
    @Override
    public OutputStream encode(String messageId, OutputStream encoded) throws IOException {
        Arguments.requireNonNull("messageId", messageId);
        Arguments.requireNonNull("encoded", encoded);
        byte[] salt = new byte[EncryptedBodyFormat.SALT_LENGTH];
        byte[] noncePrefix = new byte[EncryptedBodyFormat.NONCE_PREFIX_LENGTH];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(noncePrefix);
        String keyId = keys.primaryKeyId();
        EncryptedBodyFormat.Header header = EncryptedBodyFormat.newHeader(algorithm, segmentSize, keyId, salt, noncePrefix);
        byte[] associatedData = EncryptedBodyFormat.associatedData(header, messageId);
        SecretKeySpec bodyKey = EncryptedBodyFormat.bodyKey(Objects.requireNonNull(keys.key(keyId)), header, associatedData);
        return new SegmentEncryptingOutputStream(encoded, header, associatedData, bodyKey);
    }

    /**
     * Reads the header and decrypts the first segment at once, so that a body this ring cannot read fails
     * here; returns a stream that decrypts the rest segment by segment, whose {@code read} methods throw
     * {@link BodyDecodingException} when a later segment fails authentication or the body is truncated.
     *
     * @param messageId the id of the message the body is read for; a body encrypted for another id fails
     *                  authentication
     * @param encoded the encrypted body
     * @return the plain body
     * @throws BodyDecodingException if the bytes are not an encrypted body of the current format version, the
     *                               ring lacks the key the header names, or the first segment fails
     *                               authentication (also when the body was encrypted for another message)
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if an argument is null
     */
    @Override
    public InputStream decode(String messageId, InputStream encoded) throws IOException {
        Arguments.requireNonNull("messageId", messageId);
        Arguments.requireNonNull("encoded", encoded);
        EncryptedBodyFormat.Header header = EncryptedBodyFormat.readHeader(encoded);
        String keyId = header.info().keyId();
        byte[] ringKey = keys.key(keyId);
        if (ringKey == null) {
            throw new BodyDecodingException("the body was encrypted with key '" + keyId + "', which is not in the key ring"
                    + " (it holds " + keys.keyIds() + "); add that key to the ring to read it");
        }
        byte[] associatedData = EncryptedBodyFormat.associatedData(header, messageId);
        SegmentDecryptingInputStream plain = new SegmentDecryptingInputStream(encoded, header, messageId,
                associatedData, EncryptedBodyFormat.bodyKey(ringKey, header, associatedData));
        plain.readFirstSegment();
        return plain;
    }

    /**
     * Reads the clear-text header of an encrypted body, without any key or message id: tells which key and
     * cipher the body needs. Reads only the header's bytes and leaves the stream open.
     *
     * @param encoded the encrypted body, at its start
     * @return what the header says
     * @throws BodyDecodingException if the bytes do not start with a header this version can read, such as
     *                               one of the pre-release format version 1
     * @throws IOException if reading fails
     */
    public static EncryptedBodyHeader readHeader(InputStream encoded) throws IOException {
        return EncryptedBodyFormat.readHeader(Arguments.requireNonNull("encoded", encoded)).info();
    }

    /**
     * Describes the codec by algorithm, segment size and key ids; never shows key material.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "EncryptionCodec[" + algorithm + ", segmentSize=" + segmentSize + ", " + keys + "]";
    }
}
