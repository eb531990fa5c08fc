package io.retryspool.codec;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decrypts a body in the {@link EncryptedBodyFormat} segment by segment; holds at most one segment of
 * encrypted bytes (plus one byte of look-ahead, which tells whether a segment is the last) and one of
 * plain bytes. A segment's bytes are handed out only after its tag was verified. After a failure every
 * further read fails the same way.
 */
final class SegmentDecryptingInputStream extends InputStream {

    private final InputStream in;
    private final EncryptionAlgorithm algorithm;
    private final String keyId;
    private final String messageId;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] associatedData;
    private final byte[] nonce = new byte[EncryptionAlgorithm.NONCE_LENGTH];
    private final byte[] encrypted;
    private final byte[] plain;
    private int lookAhead;
    private int position;
    private int limit;
    private long segmentNumber;
    private boolean lastSegmentRead;
    private boolean closed;
    private @Nullable IOException failure;

    /**
     * Prepares decryption of the segments that follow a header already read from {@code in}.
     *
     * @param in the encrypted body, positioned after the header
     * @param header the body's header
     * @param messageId the id of the message the body is read for, for errors
     * @param associatedData what every segment authenticates: the header and the message id
     * @param key the body's own key
     */
    SegmentDecryptingInputStream(InputStream in, EncryptedBodyFormat.Header header, String messageId,
            byte[] associatedData, SecretKeySpec key) {
        this.in = in;
        this.algorithm = header.info().algorithm();
        this.keyId = header.info().keyId();
        this.messageId = messageId;
        this.cipher = SegmentEncryptingOutputStream.newCipher(algorithm);
        this.key = key;
        this.associatedData = associatedData;
        System.arraycopy(header.noncePrefix(), 0, nonce, 0, EncryptedBodyFormat.NONCE_PREFIX_LENGTH);
        int segmentSize = header.info().segmentSize();
        this.plain = new byte[segmentSize];
        this.encrypted = new byte[segmentSize + EncryptionAlgorithm.TAG_LENGTH + 1];
    }

    /**
     * Decrypts the first segment now, so that a wrong key or a damaged start shows when the body is opened.
     *
     * @throws IOException if the first segment cannot be read or fails authentication
     */
    void readFirstSegment() throws IOException {
        if (segmentNumber == 0 && !lastSegmentRead) {
            nextSegment();
        }
    }

    @Override
    public int read() throws IOException {
        while (position == limit) {
            if (!readMore()) {
                return -1;
            }
        }
        return plain[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (position == limit) {
            if (!readMore()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureUsable();
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(plain, (byte) 0);
        position = 0;
        limit = 0;
        in.close();
    }

    private boolean readMore() throws IOException {
        ensureUsable();
        if (lastSegmentRead) {
            return false;
        }
        nextSegment();
        return true;
    }

    private void ensureUsable() throws IOException {
        if (closed) {
            throw new IOException("the decrypting stream is closed");
        }
        if (failure instanceof BodyDecodingException) {
            throw new BodyDecodingException(failure.getMessage(), failure);
        }
        if (failure != null) {
            throw new IOException("an earlier read of the encrypted body failed: " + failure.getMessage(), failure);
        }
    }

    private void nextSegment() throws IOException {
        try {
            decryptNextSegment();
        } catch (IOException e) {
            failure = e;
            position = 0;
            limit = 0;
            throw e;
        }
    }

    private void decryptNextSegment() throws IOException {
        int segmentLength = encrypted.length - 1;
        int available = lookAhead + in.readNBytes(encrypted, lookAhead, encrypted.length - lookAhead);
        boolean last = available <= segmentLength;
        int length = last ? available : segmentLength;
        if (length < EncryptionAlgorithm.TAG_LENGTH) {
            throw new BodyDecodingException("the encrypted body is truncated: "
                    + (length == 0 ? "no segment follows the header" : "segment " + segmentNumber + " is shorter than its "
                    + "authentication tag (" + length + " bytes)"));
        }
        if (segmentNumber >= EncryptedBodyFormat.MAX_SEGMENTS) {
            throw new BodyDecodingException("the encrypted body has more than 2^32 segments");
        }
        EncryptedBodyFormat.segmentNonce(nonce, segmentNumber, last);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, algorithm.parameters(nonce));
            cipher.updateAAD(associatedData);
            limit = cipher.doFinal(encrypted, 0, length, plain, 0);
        } catch (AEADBadTagException e) {
            throw new BodyDecodingException("authentication failed in segment " + segmentNumber + " of the encrypted body"
                    + " read for message '" + messageId + "': the body was tampered with, truncated or extended, was"
                    + " written for another message, or key '" + keyId + "' of the key ring is not the key it was"
                    + " encrypted with", e);
        } catch (GeneralSecurityException e) {
            throw new BodyDecodingException("could not decrypt segment " + segmentNumber + " with " + algorithm, e);
        }
        position = 0;
        segmentNumber++;
        if (last) {
            lastSegmentRead = true;
            lookAhead = 0;
        } else {
            encrypted[0] = encrypted[segmentLength];
            lookAhead = 1;
        }
    }
}
