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
    }

    @Test
    void everySettingIsKept() {
        Instant notBefore = Instant.parse("2024-03-01T12:00:00Z");

        EnqueueRequest request = withBody().priority(77).maxAttempts(3).retryPolicy("fast")
                .notBefore(notBefore).idempotencyKey("order-17").build();

        assertThat(request.priority()).isEqualTo(77);
        assertThat(request.maxAttempts()).isEqualTo(3);
        assertThat(request.retryPolicy()).isEqualTo("fast");
        assertThat(request.notBefore()).isEqualTo(notBefore);
        assertThat(request.idempotencyKey()).isEqualTo("order-17");
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
