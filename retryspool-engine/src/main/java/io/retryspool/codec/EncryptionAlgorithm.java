package io.retryspool.codec;

import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import java.security.spec.AlgorithmParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * The authenticated ciphers an {@link EncryptionCodec} can write bodies with. Both take 256-bit keys, 96-bit
 * nonces and produce 128-bit authentication tags, and both come with the JDK. Which one encrypted a body is
 * recorded in the body's header, so changing the algorithm for new writes keeps older bodies readable.
 */
public enum EncryptionAlgorithm {

    /**
     * AES with a 256-bit key in Galois/Counter Mode ({@code AES/GCM/NoPadding}, 128-bit tag). Fast on CPUs
     * with AES instructions, which is nearly every server CPU; the default.
     */
    AES256GCM(1, "AES/GCM/NoPadding", "AES"),

    /**
     * ChaCha20 with Poly1305 (RFC 8439, the JDK's {@code ChaCha20-Poly1305}). Constant-time without hardware
     * support; on the JDK 17 it is slower than AES-GCM on hardware that accelerates AES.
     */
    CHACHA20POLY1305(2, "ChaCha20-Poly1305", "ChaCha20");

    /** Length of the nonce both ciphers take, in bytes. */
    static final int NONCE_LENGTH = 12;

    /** Length of the authentication tag both ciphers append, in bytes. */
    static final int TAG_LENGTH = 16;

    private final int id;
    private final String transformation;
    private final String keyAlgorithm;

    EncryptionAlgorithm(int id, String transformation, String keyAlgorithm) {
        this.id = id;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
    }

    /** Returns the number that stands for this algorithm in a body's header. */
    int id() {
        return id;
    }

    /** Returns the JCA transformation for {@code Cipher.getInstance}. */
    String transformation() {
        return transformation;
    }

    /** Returns the JCA key algorithm for {@code SecretKeySpec}. */
    String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** Returns the cipher parameters for one nonce. */
    AlgorithmParameterSpec parameters(byte[] nonce) {
        return this == AES256GCM ? new GCMParameterSpec(TAG_LENGTH * 8, nonce) : new IvParameterSpec(nonce);
    }

    /**
     * Returns the algorithm a header's algorithm number stands for.
     *
     * @param id the number
     * @return the algorithm, or null if the number stands for none
     */
    static @Nullable EncryptionAlgorithm byId(int id) {
        for (EncryptionAlgorithm algorithm : values()) {
            if (algorithm.id == id) {
                return algorithm;
            }
        }
        return null;
    }
}
