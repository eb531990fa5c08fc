package io.retryspool.codec;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts a body segment by segment in the {@link EncryptedBodyFormat}; holds at most one segment of plain
 * bytes and one of encrypted bytes. A segment is encrypted once the next byte arrives (then it is known not
 * to be the last one) or at {@link #close()}, so {@link #flush()} cannot push out a partial segment.
 */
final class SegmentEncryptingOutputStream extends OutputStream {

    private final OutputStream out;
    private final EncryptionAlgorithm algorithm;
    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] associatedData;
    private final byte[] nonce = new byte[EncryptionAlgorithm.NONCE_LENGTH];
    private final byte[] plain;
    private final byte[] encrypted;
    private int buffered;
    private long segmentNumber;
    private boolean closed;

    /**
     * Writes the header and prepares the first segment.
     *
     * @param out where the encrypted body goes
     * @param header the body's header
     * @param associatedData what every segment authenticates: the header and the message id
     * @param key the body's own key
     * @throws IOException if the header cannot be written
     */
    SegmentEncryptingOutputStream(OutputStream out, EncryptedBodyFormat.Header header, byte[] associatedData,
            SecretKeySpec key) throws IOException {
        this.out = out;
        this.algorithm = header.info().algorithm();
        this.cipher = newCipher(algorithm);
        this.key = key;
        this.associatedData = associatedData;
        System.arraycopy(header.noncePrefix(), 0, nonce, 0, EncryptedBodyFormat.NONCE_PREFIX_LENGTH);
        this.plain = new byte[header.info().segmentSize()];
        this.encrypted = new byte[plain.length + EncryptionAlgorithm.TAG_LENGTH];
        out.write(header.bytes());
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (buffered == plain.length) {
            encryptSegment(plain, 0, buffered, false);
            buffered = 0;
        }
        plain[buffered++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (buffered == plain.length) {
                encryptSegment(plain, 0, buffered, false);
                buffered = 0;
            }
            if (buffered == 0 && len > plain.length) {
                // a whole segment with more bytes after it: encrypt straight from the caller's array
                encryptSegment(b, off, plain.length, false);
                off += plain.length;
                len -= plain.length;
                continue;
            }
            int n = Math.min(len, plain.length - buffered);
            System.arraycopy(b, off, plain, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    /** Flushes the encrypted segments written so far; plain bytes of the current segment stay buffered. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    /**
     * Encrypts the last segment, then closes the underlying stream; does nothing the second time. If the last
     * segment cannot be written, the underlying stream is left open: closing it might commit a truncated
     * body, and the caller aborts it instead.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            encryptSegment(plain, 0, buffered, true);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        out.close();
    }

    private void encryptSegment(byte[] source, int off, int len, boolean last) throws IOException {
        if (segmentNumber >= EncryptedBodyFormat.MAX_SEGMENTS) {
            throw new IOException("the body is too large to encrypt: more than 2^32 segments of " + plain.length + " bytes");
        }
        EncryptedBodyFormat.segmentNonce(nonce, segmentNumber, last);
        int n;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, algorithm.parameters(nonce));
            cipher.updateAAD(associatedData);
            n = cipher.doFinal(source, off, len, encrypted, 0);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not encrypt segment " + segmentNumber + " with " + algorithm, e);
        }
        segmentNumber++;
        out.write(encrypted, 0, n);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the encrypting stream is closed");
        }
    }

    /**
     * Creates a cipher, failing clearly if the JDK lacks the algorithm.
     *
     * @param algorithm the algorithm
     * @return a new cipher
     */
    static Cipher newCipher(EncryptionAlgorithm algorithm) {
        try {
            return Cipher.getInstance(algorithm.transformation());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK does not provide " + algorithm.transformation() + " for "
                    + algorithm, e);
        }
    }
}
