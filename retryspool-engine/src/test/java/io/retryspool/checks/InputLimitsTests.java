package io.retryspool.checks;

import io.retryspool.MessageMetadata;
import io.retryspool.RetrySpool;
import io.retryspool.retry.FixedRetryPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InputLimitsTests {

    private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void utf8LengthEqualsTheLengthOfTheEncodedBytes() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        char[] alphabet = {'a', 'Z', '\u0001', '"', 'é', 'ß', '€', '中', '\uFFFF'};
        for (int round = 0; round < 1_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(50);
            for (int i = 0; i < length; i++) {
                if (random.nextInt(5) == 0) {
                    text.append("😀");
                } else {
                    text.append(alphabet[random.nextInt(alphabet.length)]);
                }
            }
            assertThat(InputLimits.utf8Length(text.toString())).as("seed %d, text %s", seed, text)
                    .isEqualTo(text.toString().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void storedHeadersCountTowardsTheLimitButAreNotCheckedAgain() {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("legacy\0name", "v".repeat(60_000));
        InputLimits.LimitedHeaders headers = new InputLimits.LimitedHeaders("headers", stored);

        headers.put("a", "v".repeat(5_000));
        assertThatIllegalArgumentException().isThrownBy(() -> headers.put("b", "v".repeat(1_000)))
                .withMessageStartingWith("headers: must have at most 65536 bytes together");

        assertThat(headers.toMap()).containsOnlyKeys("legacy\0name", "a");
    }

    @Test
    void aChangeIsCheckedOnlyWhereItAltersTheMetadata() {
        MessageMetadata legacy = MessageMetadata.builder().id("m-1").created(CREATED)
                .header("h\0", "v".repeat(100_000)).retryPolicyName("p".repeat(300)).build();

        assertThatCode(() -> InputLimits.requireChange("change", legacy, legacy.withPriority(9)))
                .doesNotThrowAnyException();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InputLimits.requireChange("change", legacy, legacy.withHeader("x", "1")))
                .withMessageStartingWith("change: headers: a header name must not contain NUL");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InputLimits.requireChange("change", legacy, legacy.withRetryPolicyName("q\0")))
                .withMessageStartingWith("change: retryPolicyName: must not contain NUL");
    }

    @Test
    void aChangedNextRetryOrCreatedMustLieBetween1970And9999() {
        MessageMetadata metadata = MessageMetadata.builder().id("m-1").created(CREATED).build();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> InputLimits.requireChange("change", metadata, metadata.withNextRetry(Instant.MAX)))
                .withMessageStartingWith("change: nextRetry: must be between 1970-01-01T00:00:00Z and ");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InputLimits.requireChange("change", metadata,
                        metadata.toBuilder().created(Instant.parse("1969-12-31T23:59:59Z")).build()))
                .withMessageStartingWith("change: created: must be between");
        assertThatCode(() -> InputLimits.requireChange("change", metadata,
                metadata.withNextRetry(InputLimits.LATEST_TIME))).doesNotThrowAnyException();
    }

    @Test
    void aNamedRetryPolicyMayHaveANameOf128CharactersAndNoLonger() {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMinutes(1));

        assertThatCode(() -> RetrySpool.builder().namedRetryPolicy("p".repeat(128), policy)).doesNotThrowAnyException();
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().namedRetryPolicy("p".repeat(129), policy))
                .withMessage("name: must have at most 128 characters, was 129 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().namedRetryPolicy("fast\0", policy))
                .withMessageStartingWith("name: must not contain NUL");
    }

    @Test
    void nullNamesMeanNoneAndBlankNamesAreRejected() {
        assertThat(InputLimits.requireIdempotencyKey("idempotencyKey", null)).isNull();
        assertThat(InputLimits.requireRetryPolicyName("policyName", null)).isNull();

        assertThatIllegalArgumentException().isThrownBy(() -> InputLimits.requireRetryPolicyName("policyName", " "))
                .withMessage("policyName: must not be blank");
    }
}
