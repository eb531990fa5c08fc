package io.retryspool;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnqueueRequestTests {

    private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);

    private static EnqueueRequest.Builder withBody() {
        return EnqueueRequest.builder().body(BODY);
    }

    // --- defaults ---

    @Test
    void optionalSettingsDefaultToNullSoTheSpoolsDefaultsApply() {
        EnqueueRequest request = withBody().build();

        assertThat(request.headers()).isEmpty();
        assertThat(request.priority()).isNull();
        assertThat(request.maxAttempts()).isNull();
        assertThat(request.retryPolicy()).isNull();
        assertThat(request.notBefore()).isNull();
        assertThat(request.idempotencyKey()).isNull();
        assertThat(request.destination()).isNull();
    }

    @Test
    void everySettingIsKept() {
        Instant notBefore = Instant.parse("2024-03-01T12:00:00Z");

        EnqueueRequest request = withBody().priority(77).maxAttempts(3).retryPolicy("fast")
                .notBefore(notBefore).idempotencyKey("order-17").destination("example.org").build();

        assertThat(request.priority()).isEqualTo(77);
        assertThat(request.maxAttempts()).isEqualTo(3);
        assertThat(request.retryPolicy()).isEqualTo("fast");
        assertThat(request.notBefore()).isEqualTo(notBefore);
        assertThat(request.idempotencyKey()).isEqualTo("order-17");
        assertThat(request.destination()).isEqualTo("example.org");
    }

    @Test
    void nullRetryPolicyAndIdempotencyKeyAreAllowed() {
        EnqueueRequest request = withBody().retryPolicy("fast").retryPolicy(null)
                .idempotencyKey("k").idempotencyKey(null).build();

        assertThat(request.retryPolicy()).isNull();
        assertThat(request.idempotencyKey()).isNull();
    }

    // --- body ---

    @Test
    void byteBodyIsReopenedFreshOnEachOpenBodyCall() throws Exception {
        EnqueueRequest request = withBody().build();

        InputStream first = request.openBody();
        byte[] firstRead = first.readAllBytes();
        InputStream second = request.openBody();

        assertThat(second).isNotSameAs(first);
        assertThat(firstRead).isEqualTo(BODY);
        assertThat(second.readAllBytes()).isEqualTo(BODY);
        assertThat(request.bodyBytes()).isEqualTo(BODY);
    }

    @Test
    void streamBodyIsReturnedAsGiven() {
        InputStream stream = new ByteArrayInputStream(BODY);

        EnqueueRequest request = EnqueueRequest.builder().body(stream).build();

        assertThat(request.openBody()).isSameAs(stream);
        assertThat(request.bodyBytes()).isNull();
    }

    @Test
    void theLastBodySetWins() throws Exception {
        InputStream stream = new ByteArrayInputStream(new byte[] {1, 2, 3});

        EnqueueRequest bytesLast = EnqueueRequest.builder().body(stream).body(BODY).build();
        EnqueueRequest streamLast = EnqueueRequest.builder().body(BODY).body(stream).build();

        assertThat(bytesLast.openBody().readAllBytes()).isEqualTo(BODY);
        assertThat(streamLast.openBody()).isSameAs(stream);
        assertThat(streamLast.bodyBytes()).isNull();
    }

    @Test
    void emptyByteBodyIsAllowed() throws Exception {
        assertThat(EnqueueRequest.builder().body(new byte[0]).build().openBody().readAllBytes()).isEmpty();
    }

    @Test
    void nullByteBodyIsRejectedNamingBody() {
        assertThatIllegalArgumentException().isThrownBy(() -> EnqueueRequest.builder().body((byte[]) null))
                .withMessageStartingWith("body");
    }

    @Test
    void nullStreamBodyIsRejectedNamingBody() {
        assertThatIllegalArgumentException().isThrownBy(() -> EnqueueRequest.builder().body((InputStream) null))
                .withMessageStartingWith("body");
    }

    @Test
    void buildingWithoutABodyIsRejectedNamingBody() {
        assertThatIllegalArgumentException().isThrownBy(() -> EnqueueRequest.builder().header("a", "1").build())
                .withMessageStartingWith("body");
    }

    // --- validation ---

    @Test
    void priorityBelowZeroIsRejectedNamingPriority() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().priority(-1))
                .withMessageStartingWith("priority");
    }

    @Test
    void priorityAboveHundredIsRejectedNamingPriority() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().priority(101))
                .withMessageStartingWith("priority");
    }

    @Test
    void priorityBoundsAreAllowed() {
        assertThat(withBody().priority(0).build().priority()).isZero();
        assertThat(withBody().priority(100).build().priority()).isEqualTo(100);
    }

    @Test
    void maxAttemptsBelowOneIsRejectedNamingMaxAttempts() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().maxAttempts(0))
                .withMessageStartingWith("maxAttempts");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().maxAttempts(-5))
                .withMessageStartingWith("maxAttempts");
    }

    @Test
    void blankIdempotencyKeyIsRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().idempotencyKey(""))
                .withMessageStartingWith("idempotencyKey");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().idempotencyKey(" \t"))
                .withMessageStartingWith("idempotencyKey");
    }

    @Test
    void blankRetryPolicyIsRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().retryPolicy(""))
                .withMessageStartingWith("retryPolicy");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().retryPolicy("  "))
                .withMessageStartingWith("retryPolicy");
    }

    @Test
    void badHeadersAreRejectedNamingHeaders() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header(null, "v"))
                .withMessageStartingWith("headers");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("", "v"))
                .withMessageStartingWith("headers");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("k", null))
                .withMessageStartingWith("headers");
    }

    // --- input limits (DESIGN §2: the same on every store, checked before anything is stored) ---

    @Test
    void aHeaderNameOf256CharactersIsAcceptedAndOneMoreIsRejectedNamingHeaders() {
        assertThat(withBody().header("n".repeat(256), "v").build().headers()).containsKey("n".repeat(256));

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("n".repeat(257), "v"))
                .withMessage("headers: a header name must have 1 to 256 characters, was 257 characters");
    }

    @Test
    void anEmptyHeaderNameIsRejectedSayingItsLength() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("", "v"))
                .withMessage("headers: a header name must have 1 to 256 characters, was 0 characters");
    }

    @Test
    void headersOfExactly64KibTogetherAreAcceptedAndOneByteMoreIsRejected() {
        EnqueueRequest atLimit = withBody().header("h", "v".repeat(65_535)).build();
        assertThat(atLimit.headers().get("h")).hasSize(65_535);

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("h", "v".repeat(65_536)))
                .withMessage("headers: must have at most 65536 bytes together (UTF-8 names and values), "
                        + "was 65537 bytes with header 'h'");
    }

    @Test
    void theHeaderLimitCountsAllNamesAndValuesTogether() {
        EnqueueRequest.Builder builder = withBody().header("a", "v".repeat(32_767)).header("b", "v".repeat(32_767));

        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("c", ""))
                .withMessageStartingWith("headers: must have at most 65536 bytes together")
                .withMessageContaining("was 65537 bytes");
        assertThat(builder.build().headers()).containsOnlyKeys("a", "b");
    }

    @Test
    void theHeaderLimitCountsUtf8BytesNotCharacters() {
        // 'é' is 2 bytes, '€' 3, '😀' 4 (two chars)
        assertThat(withBody().header("h", "é".repeat(32_767)).header("x", "").build().headers()).hasSize(2);
        assertThat(withBody().header("😀", "😀".repeat(16_383)).build().headers()).hasSize(1);

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("h", "€".repeat(21_845) + "a"))
                .withMessageContaining("was 65537 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("😀", "😀".repeat(16_383) + "a"))
                .withMessageContaining("was 65537 bytes");
    }

    @Test
    void replacingAHeaderCountsOnlyItsNewValue() {
        EnqueueRequest request = withBody().header("h", "v".repeat(65_535)).header("h", "small")
                .header("g", "v".repeat(60_000)).build();

        assertThat(request.headers()).containsExactly(Map.entry("h", "small"), Map.entry("g", "v".repeat(60_000)));
    }

    @Test
    void headersGivenAsAMapAreCheckedTogether() {
        Map<String, String> big = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            big.put("h" + i, "v".repeat(10_000));
        }

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().headers(big))
                .withMessageStartingWith("headers: must have at most 65536 bytes together");
    }

    @Test
    void tenMegabytesOfHeadersAreRejectedWithoutEchoingTheValue() {
        String huge = "v".repeat(10 * 1024 * 1024);

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("h", huge))
                .satisfies(e -> assertThat(e.getMessage()).startsWith("headers").hasSizeLessThan(200));
    }

    @Test
    void nulInAHeaderNameOrValueIsRejectedSayingWhereNotWhat() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("a\0b", "v"))
                .withMessage("headers: a header name must not contain NUL, was 3 characters with NUL at index 1");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("a", "secret\0"))
                .withMessage("headers: the value of header 'a' must not contain NUL, "
                        + "was 7 characters with NUL at index 6");
    }

    @Test
    void unpairedSurrogatesAreRejectedAndPairedOnesAccepted() {
        assertThat(withBody().header("smile", "😀").idempotencyKey("😀").build().headers()).containsValue("😀");

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().header("a", "x\uD83D"))
                .withMessage("headers: the value of header 'a' must not contain an unpaired surrogate, "
                        + "was 2 characters with one at index 1");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().idempotencyKey("\uDE00x"))
                .withMessageStartingWith("idempotencyKey: must not contain an unpaired surrogate");
    }

    @Test
    void anIdempotencyKeyOf255CharactersIsAcceptedAndOneMoreIsRejected() {
        assertThat(withBody().idempotencyKey("k".repeat(255)).build().idempotencyKey()).hasSize(255);

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().idempotencyKey("k".repeat(256)))
                .withMessage("idempotencyKey: must have at most 255 characters, was 256 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().idempotencyKey("k".repeat(3_000)))
                .withMessage("idempotencyKey: must have at most 255 characters, was 3000 characters");
    }

    @Test
    void nulInAnIdempotencyKeyIsRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().idempotencyKey("order\0"))
                .withMessage("idempotencyKey: must not contain NUL, was 6 characters with NUL at index 5");
    }

    @Test
    void aDestinationOf255CharactersIsAcceptedAndOneMoreIsRejected() {
        assertThat(withBody().destination("d".repeat(255)).build().destination()).hasSize(255);

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().destination("d".repeat(256)))
                .withMessage("destination: must have at most 255 characters, was 256 characters");
    }

    @Test
    void aBlankDestinationIsRejectedAndNullMeansNone() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().destination(""))
                .withMessage("destination: must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().destination(" \t"))
                .withMessage("destination: must not be blank");
        assertThat(withBody().destination("example.org").destination(null).build().destination()).isNull();
    }

    @Test
    void nulOrAnUnpairedSurrogateInADestinationIsRejectedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().destination("example.org\0"))
                .withMessage("destination: must not contain NUL, was 12 characters with NUL at index 11");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().destination("\uD83Dexample.org"))
                .withMessageStartingWith("destination: must not contain an unpaired surrogate");
    }

    @Test
    void aRetryPolicyNameOf128CharactersIsAcceptedAndOneMoreIsRejected() {
        assertThat(withBody().retryPolicy("p".repeat(128)).build().retryPolicy()).hasSize(128);

        assertThatIllegalArgumentException().isThrownBy(() -> withBody().retryPolicy("p".repeat(129)))
                .withMessage("retryPolicy: must have at most 128 characters, was 129 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> withBody().retryPolicy("fa\0st"))
                .withMessageStartingWith("retryPolicy: must not contain NUL");
    }

    @Test
    void theRetryPolicyHeaderIsLimitedLikeAPolicyName() {
        assertThat(withBody().header(RetrySpool.RETRY_POLICY_HEADER, "p".repeat(128)).build().headers())
                .containsKey(RetrySpool.RETRY_POLICY_HEADER);
        assertThat(withBody().header(RetrySpool.RETRY_POLICY_HEADER, "").build().headers())
                .containsEntry(RetrySpool.RETRY_POLICY_HEADER, "");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> withBody().header(RetrySpool.RETRY_POLICY_HEADER, "p".repeat(129)))
                .withMessage("headers: the value of header 'x-retry-policy' names a retry policy and must have "
                        + "at most 128 characters, was 129 characters");
    }

    @Test
    void notBeforeFrom1970To9999IsAccepted() {
        Instant first = Instant.parse("1970-01-01T00:00:00Z");
        Instant last = Instant.parse("9999-12-31T23:59:59.999999Z");

        assertThat(withBody().notBefore(first).build().notBefore()).isEqualTo(first);
        assertThat(withBody().notBefore(last).build().notBefore()).isEqualTo(last);
        assertThat(withBody().notBefore(null).build().notBefore()).isNull();
    }

    @Test
    void notBeforeOutside1970To9999IsRejectedNamingIt() {
        for (Instant bad : new Instant[] {Instant.MAX, Instant.MIN, Instant.parse("+300000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999999001Z"),
                Instant.parse("+10000-01-01T00:00:00Z")}) {
            assertThatIllegalArgumentException().as(bad.toString()).isThrownBy(() -> withBody().notBefore(bad))
                    .withMessage("notBefore: must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, "
                            + "was " + bad);
        }
    }

    @Test
    void aRejectedHeaderLeavesTheBuilderAsItWas() {
        EnqueueRequest.Builder builder = withBody().header("a", "1");

        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("a", "2\0"));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.header("b", "v".repeat(70_000)));

        assertThat(builder.build().headers()).containsExactly(Map.entry("a", "1"));
    }

    // --- headers ---

    @Test
    void headersKeepInsertionOrderAndAreImmutable() {
        Map<String, String> more = new LinkedHashMap<>();
        more.put("y", "2");
        more.put("b", "3");

        EnqueueRequest request = withBody().header("z", "1").headers(more).headers(null).build();

        assertThat(request.headers()).containsExactly(Map.entry("z", "1"), Map.entry("y", "2"), Map.entry("b", "3"));
        assertThatThrownBy(() -> request.headers().put("c", "4")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void laterBuilderChangesDoNotAlterABuiltRequest() {
        EnqueueRequest.Builder builder = withBody().header("a", "1");
        EnqueueRequest request = builder.build();

        builder.header("b", "2");

        assertThat(request.headers()).containsExactly(Map.entry("a", "1"));
    }
}
