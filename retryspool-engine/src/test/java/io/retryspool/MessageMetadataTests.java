package io.retryspool;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageMetadataTests {

    private static final Instant CREATED = Instant.parse("2024-03-01T10:00:00Z");
    private static final Instant LATER = Instant.parse("2024-03-01T10:15:00Z");

    private static MessageMetadata.Builder valid() {
        return MessageMetadata.builder().id("m-1").created(CREATED);
    }

    private static MessageMetadata sample() {
        return valid()
                .state(QueueState.DEFERRED).attempts(2).maxAttempts(7).nextRetry(LATER).updated(LATER)
                .lastError("java.io.IOException: boom").size(123).priority(42)
                .header("a", "1").header("b", "2").retryPolicyName("fast").destination("example.org")
                .build();
    }

    // --- builder defaults ---

    @Test
    void nextRetryAndUpdatedDefaultToCreated() {
        MessageMetadata metadata = valid().build();

        assertThat(metadata.nextRetry()).isEqualTo(CREATED);
        assertThat(metadata.updated()).isEqualTo(CREATED);
        assertThat(metadata.created()).isEqualTo(CREATED);
    }

    @Test
    void builderDefaultsAreIncomingWithPriorityFiveAndNothingElse() {
        MessageMetadata metadata = valid().build();

        assertThat(metadata.priority()).isEqualTo(5).isEqualTo(MessageMetadata.DEFAULT_PRIORITY);
        assertThat(metadata.state()).isEqualTo(QueueState.INCOMING);
        assertThat(metadata.attempts()).isZero();
        assertThat(metadata.maxAttempts()).isEqualTo(10);
        assertThat(metadata.lastError()).isNull();
        assertThat(metadata.size()).isZero();
        assertThat(metadata.headers()).isEmpty();
        assertThat(metadata.retryPolicyName()).isNull();
    }

    @Test
    void explicitNextRetryAndUpdatedAreKept() {
        Instant updated = LATER.plusSeconds(1);
        MessageMetadata metadata = valid().nextRetry(LATER).updated(updated).build();

        assertThat(metadata.nextRetry()).isEqualTo(LATER);
        assertThat(metadata.updated()).isEqualTo(updated);
    }

    @Test
    void builderWithoutCreatedIsRejectedNamingCreated() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MessageMetadata.builder().id("m-1").build())
                .withMessageStartingWith("created");
    }

    // --- validation: each bad field is named first in the message ---

    @Test
    void blankIdIsRejectedNamingId() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().id("  ").build()).withMessageStartingWith("id");
        assertThatIllegalArgumentException().isThrownBy(() -> valid().id("").build()).withMessageStartingWith("id");
        assertThatIllegalArgumentException().isThrownBy(() -> valid().id(null).build()).withMessageStartingWith("id");
    }

    @Test
    void nullStateIsRejectedNamingState() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().state(null).build())
                .withMessageStartingWith("state");
    }

    @Test
    void negativeAttemptsAreRejectedNamingAttempts() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().attempts(-1).build())
                .withMessageStartingWith("attempts");
    }

    @Test
    void zeroAttemptsAreAllowed() {
        assertThat(valid().attempts(0).build().attempts()).isZero();
    }

    @Test
    void maxAttemptsOfZeroIsRejectedNamingMaxAttempts() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().maxAttempts(0).build())
                .withMessageStartingWith("maxAttempts");
    }

    @Test
    void priorityBelowZeroIsRejectedNamingPriority() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().priority(-1).build())
                .withMessageStartingWith("priority");
    }

    @Test
    void priorityAboveHundredIsRejectedNamingPriority() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().priority(101).build())
                .withMessageStartingWith("priority");
    }

    @Test
    void priorityBoundsZeroAndHundredAreAllowed() {
        assertThat(valid().priority(0).build().priority()).isEqualTo(MessageMetadata.MIN_PRIORITY);
        assertThat(valid().priority(100).build().priority()).isEqualTo(MessageMetadata.MAX_PRIORITY);
    }

    @Test
    void negativeSizeIsRejectedNamingSize() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().size(-1).build())
                .withMessageStartingWith("size");
    }

    @Test
    void nullHeaderNameIsRejectedNamingHeaders() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().header(null, "v"))
                .withMessageStartingWith("headers");
    }

    @Test
    void emptyHeaderNameIsRejectedNamingHeaders() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().header("", "v"))
                .withMessageStartingWith("headers");
    }

    @Test
    void nullHeaderValueIsRejectedNamingHeaders() {
        assertThatIllegalArgumentException().isThrownBy(() -> valid().header("k", null))
                .withMessageStartingWith("headers")
                .withMessageContaining("k");
    }

    @Test
    void badHeadersPassedToTheConstructorAreRejectedNamingHeaders() {
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "v");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);

        assertThatIllegalArgumentException().isThrownBy(() -> new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                CREATED, CREATED, CREATED, null, 0, 5, nullName, null, null, null)).withMessageStartingWith("headers");
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                CREATED, CREATED, CREATED, null, 0, 5, nullValue, null, null, null)).withMessageStartingWith("headers");
    }

    @Test
    void nullTimesPassedToTheConstructorAreRejectedNamingTheField() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                null, CREATED, CREATED, null, 0, 5, Map.of(), null, null, null)).withMessageStartingWith("nextRetry");
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                CREATED, null, CREATED, null, 0, 5, Map.of(), null, null, null)).withMessageStartingWith("created");
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                CREATED, CREATED, null, null, 0, 5, Map.of(), null, null, null)).withMessageStartingWith("updated");
    }

    @Test
    void toBuilderKeepsTheArchiveReason() {
        MessageMetadata archived = valid().state(QueueState.ARCHIVED).archivedAs(ArchiveReason.BOUNCED).build();

        assertThat(archived.archivedAs()).isEqualTo(ArchiveReason.BOUNCED);
        assertThat(archived.toBuilder().build()).isEqualTo(archived);
        assertThat(valid().build().archivedAs()).isNull();
    }

    @Test
    void onlyAnArchivedMessageHasAnArchiveReason() {
        MessageMetadata archived = valid().state(QueueState.ARCHIVED).archivedAs(ArchiveReason.DELIVERED).build();

        assertThatIllegalArgumentException().isThrownBy(() -> archived.withState(QueueState.INCOMING))
                .withMessageStartingWith("archivedAs").withMessageContaining("m-1").withMessageContaining("INCOMING");
        assertThat(archived.toBuilder().state(QueueState.INCOMING).archivedAs(null).build().archivedAs()).isNull();
        assertThat(valid().state(QueueState.ARCHIVED).build().archivedAs()).as("archived by an operator").isNull();
    }

    // --- headers ---

    @Test
    void headerInsertionOrderIsKept() {
        MessageMetadata metadata = valid().header("zeta", "1").header("alpha", "2").header("mu", "3").build();

        assertThat(metadata.headers().keySet()).containsExactly("zeta", "alpha", "mu");
    }

    @Test
    void headersFromAMapKeepTheMapsIterationOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("c", "1");
        headers.put("a", "2");
        headers.put("b", "3");

        assertThat(valid().headers(headers).build().headers()).containsExactly(
                Map.entry("c", "1"), Map.entry("a", "2"), Map.entry("b", "3"));
    }

    @Test
    void settingAnExistingHeaderKeepsItsPosition() {
        MessageMetadata metadata = valid().header("a", "1").header("b", "2").header("a", "3").build();

        assertThat(metadata.headers()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
    }

    @Test
    void headersAreImmutable() {
        MessageMetadata metadata = valid().header("a", "1").build();

        assertThatThrownBy(() -> metadata.headers().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> metadata.headers().remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> valid().build().headers().put("b", "2"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void headersAreCopiedSoLaterChangesToTheSourceMapDoNotLeakIn() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("a", "1");
        MessageMetadata metadata = new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                CREATED, CREATED, CREATED, null, 0, 5, source, null, null, null);

        source.put("b", "2");

        assertThat(metadata.headers()).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void nullHeadersPassedToTheConstructorMeanNone() {
        MessageMetadata metadata = new MessageMetadata("m-1", QueueState.INCOMING, 0, 1,
                CREATED, CREATED, CREATED, null, 0, 5, null, null, null, null);

        assertThat(metadata.headers()).isEmpty();
    }

    // --- copies ---

    @Test
    void toBuilderReproducesEveryField() {
        MessageMetadata original = sample();

        assertThat(original.toBuilder().build()).isEqualTo(original);
    }

    @Test
    void toBuilderChangesAreMadeOnACopyAndLeaveTheOriginalUnchanged() {
        MessageMetadata original = sample();

        MessageMetadata changed = original.toBuilder().state(QueueState.BOUNCE).attempts(3).lastError(null)
                .header("c", "3").build();

        assertThat(changed.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(changed.attempts()).isEqualTo(3);
        assertThat(changed.lastError()).isNull();
        assertThat(changed.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(original).isEqualTo(sample());
    }

    @Test
    void withStateReturnsAChangedCopy() {
        MessageMetadata original = sample();

        MessageMetadata changed = original.withState(QueueState.HOLD);

        assertThat(changed.state()).isEqualTo(QueueState.HOLD);
        assertThat(changed.toBuilder().state(QueueState.DEFERRED).build()).isEqualTo(original);
        assertThat(original).isEqualTo(sample());
    }

    @Test
    void withNextRetryReturnsAChangedCopy() {
        MessageMetadata original = sample();
        Instant next = LATER.plusSeconds(3600);

        MessageMetadata changed = original.withNextRetry(next);

        assertThat(changed.nextRetry()).isEqualTo(next);
        assertThat(changed.toBuilder().nextRetry(LATER).build()).isEqualTo(original);
        assertThat(original).isEqualTo(sample());
    }

    @Test
    void withUpdatedReturnsAChangedCopy() {
        MessageMetadata original = sample();
        Instant updated = LATER.plusSeconds(60);

        MessageMetadata changed = original.withUpdated(updated);

        assertThat(changed.updated()).isEqualTo(updated);
        assertThat(changed.toBuilder().updated(LATER).build()).isEqualTo(original);
        assertThat(original).isEqualTo(sample());
    }

    @Test
    void withPriorityReturnsAChangedCopyAndIsValidated() {
        MessageMetadata original = sample();

        assertThat(original.withPriority(99).priority()).isEqualTo(99);
        assertThat(original.withPriority(99).toBuilder().priority(42).build()).isEqualTo(original);
        assertThatIllegalArgumentException().isThrownBy(() -> original.withPriority(101))
                .withMessageStartingWith("priority");
        assertThat(original).isEqualTo(sample());
    }

    @Test
    void withMaxAttemptsReturnsAChangedCopyAndIsValidated() {
        MessageMetadata original = sample();

        assertThat(original.withMaxAttempts(1).maxAttempts()).isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> original.withMaxAttempts(0))
                .withMessageStartingWith("maxAttempts");
        assertThat(original).isEqualTo(sample());
    }

    @Test
    void withHeaderAddsANewHeaderAtTheEnd() {
        MessageMetadata original = sample();

        MessageMetadata changed = original.withHeader("c", "3");

        assertThat(changed.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(original.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void withHeaderReplacesAnExistingHeaderInPlace() {
        MessageMetadata original = sample();

        MessageMetadata changed = original.withHeader("a", "updated");

        assertThat(changed.headers()).containsExactly(Map.entry("a", "updated"), Map.entry("b", "2"));
        assertThat(original.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void withHeadersReplacesAllHeaders() {
        MessageMetadata original = sample();

        MessageMetadata changed = original.withHeaders(Map.of("x", "9"));

        assertThat(changed.headers()).containsExactly(Map.entry("x", "9"));
        assertThat(original.headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void withRetryPolicyNameReturnsAChangedCopyAndNullMeansTheDefault() {
        MessageMetadata original = sample();

        assertThat(original.withRetryPolicyName("slow").retryPolicyName()).isEqualTo("slow");
        assertThat(original.withRetryPolicyName(null).retryPolicyName()).isNull();
        assertThat(original.retryPolicyName()).isEqualTo("fast");
        assertThat(original).isEqualTo(sample());
    }

    // --- Message ---

    @Test
    void messageOfTakesTheMetadatasId() {
        MessageMetadata metadata = sample();

        assertThat(Message.of(metadata).id()).isEqualTo("m-1");
        assertThat(Message.of(metadata).metadata()).isSameAs(metadata);
    }

    @Test
    void messageWithAnIdOtherThanItsMetadatasIsRejectedNamingId() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Message("other", sample()))
                .withMessageStartingWith("id");
        assertThatIllegalArgumentException().isThrownBy(() -> new Message(" ", sample()))
                .withMessageStartingWith("id");
    }
}
