package io.retryspool.codec;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.retryspool.codec.CodecTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EncryptionKeys}: building rings, and errors that name the key without showing it. */
class EncryptionKeysTests {

    private static final String K1 = Base64.getEncoder().encodeToString(key(1));
    private static final String K2 = Base64.getEncoder().encodeToString(key(2));

    @Test
    void aSingleBase64KeyGetsTheDefaultIdAndIsPrimary() {
        EncryptionKeys keys = EncryptionKeys.ofBase64(K1);

        assertThat(keys.primaryKeyId()).isEqualTo(EncryptionKeys.DEFAULT_KEY_ID).isEqualTo("default");
        assertThat(keys.keyIds()).containsExactly("default");
        assertThat(keys.key("default")).isEqualTo(key(1));
    }

    @Test
    void base64KeysMayUseTheUrlSafeAlphabetOmitPaddingAndCarrySurroundingWhiteSpace() {
        byte[] material = new byte[32];
        java.util.Arrays.fill(material, (byte) 0xFB);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(material);

        assertThat(urlSafe).contains("-").doesNotContain("=");
        assertThat(EncryptionKeys.ofBase64("k", urlSafe).key("k")).isEqualTo(material);
        assertThat(EncryptionKeys.ofBase64("k", "  " + K1 + "\n").key("k")).isEqualTo(key(1));
    }

    @Test
    void theFirstKeyAddedIsPrimaryUnlessAnotherIsChosen() {
        EncryptionKeys byDefault = EncryptionKeys.builder().base64Key("k1", K1).base64Key("k2", K2).build();
        EncryptionKeys chosen = EncryptionKeys.builder().base64Key("k1", K1).base64Key("k2", K2).primary("k2").build();

        assertThat(byDefault.primaryKeyId()).isEqualTo("k1");
        assertThat(chosen.primaryKeyId()).isEqualTo("k2");
        assertThat(chosen.keyIds()).containsExactly("k1", "k2");
        assertThat(chosen.contains("k1")).isTrue();
        assertThat(chosen.contains("k3")).isFalse();
    }

    @Test
    void aMapOfBase64KeysBuildsARing() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("2025", K1);
        keys.put("2026", K2);

        EncryptionKeys ring = EncryptionKeys.ofBase64("2026", keys);

        assertThat(ring.primaryKeyId()).isEqualTo("2026");
        assertThat(ring.key("2025")).isEqualTo(key(1));
        assertThat(ring.key("2026")).isEqualTo(key(2));
    }

    @Test
    void aKeyOfTheWrongLengthIsRejectedNamingTheKeyIdButNotShowingTheKey() {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> EncryptionKeys.ofBase64("k1", short16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'k1'").hasMessageContaining("32 bytes").hasMessageContaining("was 16 bytes")
                .hasMessageNotContaining(short16);
        assertThatThrownBy(() -> EncryptionKeys.of("k1", new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 'k1'");
    }

    @Test
    void aKeyThatIsNotBase64IsRejectedNamingTheKeyIdButNotShowingTheKey() {
        String broken = K1.substring(0, 20) + "*" + K1.substring(21);

        assertThatThrownBy(() -> EncryptionKeys.ofBase64("k1", broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 'k1'").hasMessageContaining("base64")
                .hasMessageNotContaining(broken).hasMessageNotContaining("*")
                .hasNoCause();
    }

    @Test
    void anInvalidKeyIdIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> EncryptionKeys.ofBase64(K1, "k1"))
                .as("arguments swapped: the key is taken for the id")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("keyId:").hasMessageNotContaining(K1);
        assertThatThrownBy(() -> EncryptionKeys.of("", key(1))).hasMessageStartingWith("keyId:");
        assertThatThrownBy(() -> EncryptionKeys.of("with space", key(1))).hasMessageStartingWith("keyId:");
        assertThatThrownBy(() -> EncryptionKeys.of("x".repeat(33), key(1))).hasMessageStartingWith("keyId:");
        assertThatThrownBy(() -> EncryptionKeys.of(null, key(1))).hasMessageStartingWith("keyId:");
        assertThat(EncryptionKeys.of("A-z_0.9", key(1)).primaryKeyId()).isEqualTo("A-z_0.9");
    }

    @Test
    void missingDuplicateAndUnknownKeysAreRejectedByName() {
        assertThatThrownBy(() -> EncryptionKeys.builder().build()).hasMessageStartingWith("keys:");
        assertThatThrownBy(() -> EncryptionKeys.ofBase64("k1", (String) null)).hasMessageContaining("key 'k1'");
        assertThatThrownBy(() -> EncryptionKeys.ofBase64("k1", " ")).hasMessageContaining("key 'k1'");
        assertThatThrownBy(() -> EncryptionKeys.of("k1", null)).hasMessageContaining("key 'k1'");
        assertThatThrownBy(() -> EncryptionKeys.builder().base64Key("k1", K1).base64Key("k1", K2))
                .hasMessageContaining("key 'k1'").hasMessageContaining("twice").hasMessageNotContaining(K2);
        assertThatThrownBy(() -> EncryptionKeys.builder().base64Key("k1", K1).primary("k9").build())
                .hasMessageStartingWith("primaryKeyId:").hasMessageContaining("'k9'").hasMessageContaining("[k1]");
        assertThatThrownBy(() -> EncryptionKeys.ofBase64("k1", (Map<String, String>) null))
                .hasMessageStartingWith("base64KeysById:");
    }

    @Test
    void toStringShowsIdsButNoKeyMaterial() {
        EncryptionKeys keys = EncryptionKeys.builder().base64Key("k1", K1).base64Key("k2", K2).primary("k2").build();

        assertThat(keys).hasToString("EncryptionKeys[primary=k2, ids=[k1, k2]]");
    }

    @Test
    void generatedKeysAreThirtyTwoRandomBytesInBase64() {
        String first = EncryptionKeys.generateBase64Key();
        String second = EncryptionKeys.generateBase64Key();

        assertThat(Base64.getDecoder().decode(first)).hasSize(32);
        assertThat(first).isNotEqualTo(second);
        assertThat(EncryptionKeys.ofBase64(first).keyIds()).containsExactly("default");
    }
}
