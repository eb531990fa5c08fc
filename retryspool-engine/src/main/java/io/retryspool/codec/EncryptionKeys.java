package io.retryspool.codec;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An immutable ring of 256-bit keys for {@link EncryptionCodec}, each under a short id, one of them primary.
 * New bodies are encrypted with the primary key and carry its id in their header; reading a body uses the
 * key its header names. That is how keys rotate: add the new key, make it primary, and keep the old one in
 * the ring until no stored body needs it any more ({@link EncryptionCodec#readHeader(java.io.InputStream)}
 * tells which key a stored body needs).
 *
 * <p>A key id is 1 to {@value #MAX_KEY_ID_LENGTH} characters from {@code A-Z a-z 0-9 . _ -}. Ids are stored
 * in clear in every encrypted body; they are not secret, keys are. Errors name the key id or the argument
 * and never contain key material, and {@link #toString()} shows ids only.
 *
 * <pre>{@code
 * EncryptionKeys keys = EncryptionKeys.builder()
 *         .base64Key("2025", oldKeyBase64)
 *         .base64Key("2026", newKeyBase64)
 *         .primary("2026")
 *         .build();
 * }</pre>
 */
public final class EncryptionKeys {

    /** Length of every key, in bytes (256 bits). */
    public static final int KEY_LENGTH = 32;

    /** Longest key id, in characters. */
    public static final int MAX_KEY_ID_LENGTH = 32;

    /** Id of the key when a ring is made of a single key without an id, see {@link #ofBase64(String)}. */
    public static final String DEFAULT_KEY_ID = "default";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_KEY_ID_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, byte[]> keys;
    private final String primaryKeyId;

    private EncryptionKeys(Map<String, byte[]> keys, String primaryKeyId) {
        this.keys = Collections.unmodifiableMap(keys);
        this.primaryKeyId = primaryKeyId;
    }

    /**
     * Creates a ring of one base64-encoded key under the id {@value #DEFAULT_KEY_ID}.
     *
     * @param base64Key the key: 32 bytes in base64 (standard or URL-safe alphabet), e.g. from
     *                  {@code openssl rand -base64 32}
     * @return the ring
     * @throws IllegalArgumentException if the key is missing, not base64 or not 32 bytes long
     */
    public static EncryptionKeys ofBase64(String base64Key) {
        return builder().base64Key(DEFAULT_KEY_ID, base64Key).build();
    }

    /**
     * Creates a ring of one base64-encoded key.
     *
     * @param keyId the key's id
     * @param base64Key the key: 32 bytes in base64 (standard or URL-safe alphabet)
     * @return the ring
     * @throws IllegalArgumentException if the id is invalid, or the key is missing, not base64 or not 32 bytes long
     */
    public static EncryptionKeys ofBase64(String keyId, String base64Key) {
        return builder().base64Key(keyId, base64Key).build();
    }

    /**
     * Creates a ring of base64-encoded keys.
     *
     * @param primaryKeyId the id of the key that encrypts new bodies
     * @param base64KeysById the keys by id, each 32 bytes in base64 (standard or URL-safe alphabet)
     * @return the ring
     * @throws IllegalArgumentException if the map is empty, an id or key is invalid, or no key has the primary id
     */
    public static EncryptionKeys ofBase64(String primaryKeyId, Map<String, String> base64KeysById) {
        if (base64KeysById == null) {
            throw new IllegalArgumentException("base64KeysById: must not be null");
        }
        Builder builder = builder();
        base64KeysById.forEach(builder::base64Key);
        return builder.primary(primaryKeyId).build();
    }

    /**
     * Creates a ring of one key.
     *
     * @param keyId the key's id
     * @param key the key, 32 bytes; the ring keeps a copy
     * @return the ring
     * @throws IllegalArgumentException if the id is invalid or the key is missing or not 32 bytes long
     */
    public static EncryptionKeys of(String keyId, byte[] key) {
        return builder().key(keyId, key).build();
    }

    /**
     * Starts a ring of several keys.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Generates a new random key from a {@link SecureRandom}, encoded in base64, ready for
     * {@link #ofBase64(String, String)} or the {@code retryspool.data.encryption.key} property.
     *
     * @return 32 random bytes in standard base64
     */
    public static String generateBase64Key() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        try {
            return Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Returns the id of the key that encrypts new bodies.
     *
     * @return the primary key's id
     */
    public String primaryKeyId() {
        return primaryKeyId;
    }

    /**
     * Returns the ids of all keys in the ring, in the order they were added.
     *
     * @return the ids, unmodifiable
     */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * Tells whether the ring holds a key with an id.
     *
     * @param keyId the id
     * @return true if it does
     */
    public boolean contains(String keyId) {
        return keys.containsKey(keyId);
    }

    /**
     * Returns a key's bytes, for the codec only; callers must not change or leak them.
     *
     * @param keyId the id
     * @return the key, or null if the ring has none with that id
     */
    byte @Nullable [] key(String keyId) {
        return keys.get(keyId);
    }

    /**
     * Describes the ring by its ids; never shows key material.
     *
     * @return for example {@code EncryptionKeys[primary=k2, ids=[k1, k2]]}
     */
    @Override
    public String toString() {
        return "EncryptionKeys[primary=" + primaryKeyId + ", ids=" + keys.keySet() + "]";
    }

    /**
     * Checks a key id.
     *
     * @param argument the argument's name for the message
     * @param keyId the id
     * @return the id
     */
    static String requireKeyId(String argument, String keyId) {
        if (keyId == null) {
            throw new IllegalArgumentException(argument + ": must not be null");
        }
        if (!KEY_ID.matcher(keyId).matches()) {
            // the value is not echoed: a key id that breaks the rules may be a key passed in the wrong place
            throw new IllegalArgumentException(argument + ": a key id must be 1 to " + MAX_KEY_ID_LENGTH
                    + " characters from A-Z, a-z, 0-9, '.', '_' and '-' (the given one is " + keyId.length()
                    + " characters long and is not shown, in case it is a key)");
        }
        return keyId;
    }

    /** Collects keys for an {@link EncryptionKeys} ring. Not safe for use by several threads. */
    public static final class Builder {

        private final Map<String, byte[]> keys = new LinkedHashMap<>();
        private @Nullable String primaryKeyId;

        private Builder() {
        }

        /**
         * Adds a key.
         *
         * @param keyId the key's id
         * @param key the key, 32 bytes; the ring keeps a copy
         * @return this builder
         * @throws IllegalArgumentException if the id is invalid or already used, or the key is missing or not 32 bytes long
         */
        public Builder key(String keyId, byte[] key) {
            requireKeyId("keyId", keyId);
            if (key == null) {
                throw new IllegalArgumentException("key '" + keyId + "': must not be null");
            }
            if (key.length != KEY_LENGTH) {
                throw new IllegalArgumentException("key '" + keyId + "': must be " + KEY_LENGTH
                        + " bytes (256 bits) long, was " + key.length + " bytes");
            }
            if (keys.containsKey(keyId)) {
                throw new IllegalArgumentException("key '" + keyId + "': the key id is given twice");
            }
            keys.put(keyId, key.clone());
            return this;
        }

        /**
         * Adds a base64-encoded key.
         *
         * @param keyId the key's id
         * @param base64Key the key: 32 bytes in base64 (standard or URL-safe alphabet, padding optional,
         *                  surrounding white space ignored)
         * @return this builder
         * @throws IllegalArgumentException if the id is invalid or already used, or the key is missing, not
         *                                  base64 or not 32 bytes long
         */
        public Builder base64Key(String keyId, String base64Key) {
            requireKeyId("keyId", keyId);
            if (base64Key == null || base64Key.isBlank()) {
                throw new IllegalArgumentException("key '" + keyId + "': must not be null or blank");
            }
            byte[] key = decodeBase64(keyId, base64Key.strip());
            try {
                return key(keyId, key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        /**
         * Chooses the key that encrypts new bodies; without this call, the first key added is primary.
         *
         * @param keyId the id of a key in the ring
         * @return this builder
         * @throws IllegalArgumentException if the id is invalid
         */
        public Builder primary(String keyId) {
            this.primaryKeyId = requireKeyId("primaryKeyId", keyId);
            return this;
        }

        /**
         * Builds the ring.
         *
         * @return the ring
         * @throws IllegalArgumentException if no key was added or no key has the primary id
         */
        public EncryptionKeys build() {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("keys: at least one key is required");
            }
            String primary = primaryKeyId != null ? primaryKeyId : keys.keySet().iterator().next();
            if (!keys.containsKey(primary)) {
                throw new IllegalArgumentException("primaryKeyId: the ring has no key with id '" + primary
                        + "' (it has " + keys.keySet() + ")");
            }
            Map<String, byte[]> copy = new LinkedHashMap<>();
            keys.forEach((id, key) -> copy.put(id, key.clone()));
            return new EncryptionKeys(copy, primary);
        }

        private static byte[] decodeBase64(String keyId, String base64Key) {
            byte[] ascii = base64Key.getBytes(StandardCharsets.ISO_8859_1);
            try {
                return Base64.getDecoder().decode(ascii);
            } catch (IllegalArgumentException standardFailed) {
                try {
                    return Base64.getUrlDecoder().decode(ascii);
                } catch (IllegalArgumentException urlSafeFailed) {
                    // the decoder's message quotes a character of the input: leave it out
                    throw new IllegalArgumentException("key '" + keyId + "': is not valid base64 (expected "
                            + KEY_LENGTH + " bytes encoded in base64, e.g. from 'openssl rand -base64 32')");
                }
            }
        }
    }
}
