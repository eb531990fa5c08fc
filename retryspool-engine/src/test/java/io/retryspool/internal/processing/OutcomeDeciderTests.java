package io.retryspool.internal.processing;

import io.retryspool.ArchiveReason;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.MissingBodyException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.retryspool.internal.processing.OutcomeDecider.BOUNCE_ATTEMPTS_HEADER;
import static io.retryspool.internal.processing.OutcomeDecider.BOUNCE_ERROR_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class OutcomeDeciderTests {

    private static final Instant CREATED = Instant.parse("2024-03-01T08:00:00Z");
    private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");
    private static final Duration MAX_LIFETIME = Duration.ofDays(5);
    private static final String PREVIOUS_ERROR = "java.net.ConnectException: Connection refused";

    private static final RetryPolicies POLICIES = new RetryPolicies(ExponentialRetryPolicy.defaults(), Map.of(
            "fast", FixedRetryPolicy.of(Duration.ofMinutes(1)),
            "once", FixedRetryPolicy.of(Duration.ofMinutes(1)).withMaxAttempts(1)));

    private final OutcomeDecider plain = new OutcomeDecider(POLICIES, MAX_LIFETIME, false, false);
    private final OutcomeDecider archiving = new OutcomeDecider(POLICIES, MAX_LIFETIME, true, true);

    /**
     * A claim from INCOMING of a message with the attempts set by {@code change} made before this one: as stores
     * do, the claim has counted this attempt too.
     */
    private static Claim claim(UnaryOperator<MessageMetadata.Builder> change) {
        return claimFrom(QueueState.INCOMING, change);
    }

    private static Claim claim() {
        return claim(b -> b);
    }

    /** A claim from {@code from}; a delivery claim (not from BOUNCE) has counted its attempt. */
    private static Claim claimFrom(QueueState from, UnaryOperator<MessageMetadata.Builder> change) {
        MessageMetadata.Builder builder = MessageMetadata.builder()
                .id("m-1").state(QueueState.ACTIVE).attempts(0).maxAttempts(5)
                .created(CREATED).nextRetry(CREATED).updated(CREATED).size(10).priority(7)
                .header("to", "alice@example.com").header("kind", "mail");
        MessageMetadata before = change.apply(builder).build();
        MessageMetadata claimed = from == QueueState.BOUNCE ? before
                : before.toBuilder().attempts(before.attempts() + 1).build();
        return new Claim(claimed, from, "token-1", "node-a", NOW.plusSeconds(300), before.created());
    }

    private static Claim withLifetimeStart(Claim claim, Instant lifetimeStart) {
        return new Claim(claim.metadata(), claim.claimedFrom(), claim.token(), claim.owner(), claim.leaseUntil(),
                lifetimeStart);
    }

    private static void assertTargetsTheClaim(ClaimOutcome outcome) {
        assertThat(outcome.id()).isEqualTo("m-1");
        assertThat(outcome.token()).isEqualTo("token-1");
    }

    // --- delivered ---

    @Test
    void deliveredMessageIsDeletedWithoutArchiveSuccess() {
        ClaimOutcome outcome = plain.delivered(claim(), Map.of("x-receipt", "r-1"), NOW);

        assertTargetsTheClaim(outcome);
        assertThat(outcome.deletes()).isTrue();
        assertThat(outcome.result()).isNull();
    }

    @Test
    void deliveredMessageIsArchivedWithArchiveSuccess() {
        Claim claim = claim(b -> b.attempts(2).lastError(PREVIOUS_ERROR));

        ClaimOutcome outcome = archiving.delivered(claim, Map.of(), NOW);

        assertTargetsTheClaim(outcome);
        assertThat(outcome.deletes()).isFalse();
        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.ARCHIVED);
        assertThat(result.archivedAs()).isEqualTo(ArchiveReason.DELIVERED);
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.lastError()).isNull();
        assertThat(result.updated()).isEqualTo(NOW);
        assertThat(result.created()).isEqualTo(CREATED);
    }

    @Test
    void archivedDeliveryMergesTheHandlersHeaders() {
        ClaimOutcome outcome = archiving.delivered(claim(),
                Map.of("kind", "mail-sent", "x-receipt", "r-1"), NOW);

        assertThat(outcome.result().headers()).containsExactly(
                entry("to", "alice@example.com"), entry("kind", "mail-sent"), entry("x-receipt", "r-1"));
    }

    // --- deliveryFailed: defer ---

    @Test
    void failedDeliveryIsDeferredWhileAttemptsRemain() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(), new IOException("connection refused"), Map.of(), NOW);

        assertTargetsTheClaim(outcome);
        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.DEFERRED);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.nextRetry()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(result.updated()).isEqualTo(NOW);
    }

    @Test
    void deferredMessageWaitsTheIntervalOfItsAttemptCount() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.attempts(3).maxAttempts(10)),
                new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().attempts()).isEqualTo(4);
        assertThat(outcome.result().nextRetry()).isEqualTo(NOW.plus(Duration.ofHours(2)));
    }

    @Test
    void lastErrorIsTheExceptionClassNameAndMessage() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.lastError(PREVIOUS_ERROR)),
                new IOException("connection refused"), Map.of(), NOW);

        assertThat(outcome.result().lastError()).isEqualTo("java.io.IOException: connection refused");
    }

    @Test
    void lastErrorOfAnExceptionWithoutMessageIsItsClassName() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(), new IllegalStateException(), Map.of(), NOW);

        assertThat(outcome.result().lastError()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void lastErrorIsBoundedToTwoThousandCharacters() {
        String longMessage = "x".repeat(5_000);

        ClaimOutcome outcome = plain.deliveryFailed(claim(), new IOException(longMessage), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().lastError()).hasSize(2000).startsWith("java.io.IOException: xxx");
        assertThat(OutcomeDecider.describe(new IOException(longMessage))).hasSize(2000);
    }

    @Test
    void lastErrorOfABouncedMessageIsBoundedToTwoThousandCharacters() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.attempts(4)),
                new IOException("y".repeat(5_000)), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().lastError()).hasSize(2000).startsWith("java.io.IOException: yyy");
    }

    @Test
    void failedDeliveryMergesTheHandlersHeaders() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(), new IOException("x"),
                Map.of("to", "bob@example.com", "x-smtp-code", "451"), NOW);

        assertThat(outcome.result().headers()).containsExactly(
                entry("to", "bob@example.com"), entry("kind", "mail"), entry("x-smtp-code", "451"));
    }

    @Test
    void failedDeliveryKeepsTheMessagesOtherFields() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.retryPolicyName(null)), new IOException("x"), Map.of(), NOW);

        MessageMetadata result = outcome.result();
        assertThat(result.id()).isEqualTo("m-1");
        assertThat(result.created()).isEqualTo(CREATED);
        assertThat(result.size()).isEqualTo(10);
        assertThat(result.priority()).isEqualTo(7);
        assertThat(result.maxAttempts()).isEqualTo(5);
    }

    // --- deliveryFailed: bounce ---

    @Test
    void failedDeliveryBouncesAtMaxAttempts() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.attempts(4).maxAttempts(5)),
                new IOException("connection refused"), Map.of(), NOW);

        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(result.attempts()).isEqualTo(5);
        assertThat(result.nextRetry()).isEqualTo(NOW);
        assertThat(result.lastError()).startsWith("java.io.IOException: connection refused");
    }

    @Test
    void lastAttemptButOneIsStillDeferred() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.attempts(3).maxAttempts(5)),
                new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().attempts()).isEqualTo(4);
    }

    @Test
    void permanentExceptionBouncesAlthoughAttemptsRemain() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.maxAttempts(10)),
                new PermanentException("mailbox does not exist"), Map.of(), NOW);

        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.nextRetry()).isEqualTo(NOW);
        assertThat(result.lastError()).isEqualTo("io.retryspool.handler.PermanentException: mailbox does not exist");
    }

    @Test
    void permanentExceptionWrappedAsACauseBounces() {
        Exception wrapped = new RuntimeException("delivery failed",
                new IllegalStateException("inner", new PermanentException("mailbox does not exist")));

        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.maxAttempts(10)), wrapped, Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().lastError()).startsWith("java.lang.RuntimeException: delivery failed");
    }

    @Test
    void retryableExceptionWrappingAPermanentOneBounces() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.maxAttempts(10)),
                new RetryableException("retry?", new PermanentException("no")), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
    }

    @Test
    void missingBodyBouncesAlthoughAttemptsRemain() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.maxAttempts(10)),
                new MissingBodyException("body of m-1 not found"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().lastError())
                .isEqualTo("io.retryspool.storage.MissingBodyException: body of m-1 not found");
    }

    @Test
    void missingBodyWrappedAsACauseBounces() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.maxAttempts(10)),
                new IOException("read failed", new MissingBodyException("body of m-1 not found")), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
    }

    @Test
    void failureAfterTheMaximumLifetimeBouncesEvenIfAttemptsRemain() {
        Claim old = claim(b -> b.created(NOW.minus(MAX_LIFETIME).minusSeconds(1)).nextRetry(NOW).updated(NOW)
                .maxAttempts(100));

        ClaimOutcome outcome = plain.deliveryFailed(old, new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().attempts()).isEqualTo(1);
        assertThat(outcome.result().nextRetry()).isEqualTo(NOW);
        assertThat(outcome.result().lastError()).startsWith("java.io.IOException: x");
    }

    @Test
    void failureExactlyAtTheMaximumLifetimeBounces() {
        Claim old = claim(b -> b.created(NOW.minus(MAX_LIFETIME)).nextRetry(NOW).updated(NOW).maxAttempts(100));

        ClaimOutcome outcome = plain.deliveryFailed(old, new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
    }

    @Test
    void theLifetimeCountsFromAReleaseOrRequeueNotFromTheCreation() {
        Claim requeued = withLifetimeStart(claim(b -> b.created(NOW.minus(MAX_LIFETIME).minusSeconds(1))
                .maxAttempts(100)), NOW.minusSeconds(60));

        ClaimOutcome outcome = plain.deliveryFailed(requeued, new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().created()).as("created keeps the original time")
                .isEqualTo(NOW.minus(MAX_LIFETIME).minusSeconds(1));
    }

    @Test
    void failureJustBeforeTheMaximumLifetimeIsDeferred() {
        Claim young = claim(b -> b.created(NOW.minus(MAX_LIFETIME).plusNanos(1)).nextRetry(NOW).updated(NOW)
                .maxAttempts(100));

        ClaimOutcome outcome = plain.deliveryFailed(young, new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
    }

    @Test
    void cyclicCauseChainDoesNotHangTheDecision() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        ClaimOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> plain.deliveryFailed(claim(b -> b.maxAttempts(10)), first, Map.of(), NOW));

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
    }

    // --- named policies ---

    @Test
    void namedPolicyIsChosenByRetryPolicyName() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.retryPolicyName("fast")),
                new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().nextRetry()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(outcome.result().retryPolicyName()).isEqualTo("fast");
    }

    @Test
    void namedPolicysOwnMaximumDecidesTheBounce() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.retryPolicyName("once").maxAttempts(10)),
                new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().attempts()).isEqualTo(1);
    }

    @Test
    void unknownPolicyNameFallsBackToTheDefault() {
        ClaimOutcome outcome = plain.deliveryFailed(claim(b -> b.retryPolicyName("no-such-policy")),
                new IOException("x"), Map.of(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().nextRetry()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void retryPoliciesReturnTheNamedPolicyOrTheDefault() {
        RetryPolicy defaultPolicy = ExponentialRetryPolicy.defaults();
        RetryPolicy fast = FixedRetryPolicy.of(Duration.ofSeconds(1));
        RetryPolicies policies = new RetryPolicies(defaultPolicy, Map.of("fast", fast));

        assertThat(policies.policyFor(claim(b -> b.retryPolicyName("fast")).metadata())).isSameAs(fast);
        assertThat(policies.policyFor(claim(b -> b.retryPolicyName("slow")).metadata())).isSameAs(defaultPolicy);
        assertThat(policies.policyFor(claim(b -> b.retryPolicyName(null)).metadata())).isSameAs(defaultPolicy);
    }

    // --- noHandler ---

    @Test
    void messageWithoutAHandlerBouncesWithoutCountingAnAttempt() {
        ClaimOutcome outcome = plain.noHandler(claim(b -> b.attempts(2)), NOW);

        assertTargetsTheClaim(outcome);
        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(result.attempts()).as("the attempt the claim counted is given back").isEqualTo(2);
        assertThat(result.nextRetry()).isEqualTo(NOW);
        assertThat(result.updated()).isEqualTo(NOW);
        assertThat(result.lastError()).contains("no handler accepts").contains("m-1");
    }

    @Test
    void theNoHandlerErrorNamesTheHeadersButNeverTheirValues() {
        ClaimOutcome outcome = plain.noHandler(claim(b -> b.header("reset-code", "739120")), NOW);

        assertThat(outcome.result().lastError()).contains("to", "kind", "reset-code")
                .doesNotContain("alice@example.com", "mail]", "739120");
    }

    // --- attempts the spool ended ---

    @Test
    void anExpiredLeaseIsAFailedAttemptThatIsDeferredWhileAttemptsRemain() {
        ClaimOutcome outcome = plain.leaseExpired(claim(b -> b.attempts(1).maxAttempts(5)), NOW);

        assertTargetsTheClaim(outcome);
        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().attempts()).isEqualTo(2);
        assertThat(outcome.result().nextRetry()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(outcome.result().lastError()).isEqualTo("lease expired: the worker stopped");
    }

    @Test
    void anExpiredLeaseOnTheLastAttemptBounces() {
        ClaimOutcome outcome = plain.leaseExpired(claim(b -> b.attempts(4).maxAttempts(5)), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().attempts()).isEqualTo(5);
        assertThat(outcome.result().lastError()).isEqualTo("lease expired: the worker stopped (bounced after 5 attempts)");
    }

    @Test
    void anExpiredLeaseAfterTheMaximumLifetimeBounces() {
        Claim old = claim(b -> b.created(NOW.minus(MAX_LIFETIME).minusSeconds(1)).maxAttempts(100));

        assertThat(plain.leaseExpired(old, NOW).result().state()).isEqualTo(QueueState.BOUNCE);
    }

    @Test
    void anExpiredBounceHandlerLeaseStaysInBounceDueLaterWithoutCountingADeliveryAttempt() {
        ClaimOutcome outcome = plain.leaseExpired(claimFrom(QueueState.BOUNCE, b -> b.attempts(5)
                .lastError(PREVIOUS_ERROR)), NOW);

        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(result.attempts()).isEqualTo(5);
        assertThat(result.lastError()).isEqualTo(PREVIOUS_ERROR);
        assertThat(result.nextRetry()).isAfter(NOW);
        assertThat(result.headers()).containsEntry(BOUNCE_ERROR_HEADER, "lease expired: the worker stopped");
    }

    @Test
    void aTimedOutAttemptIsARetryableFailureNamingTheTimeout() {
        ClaimOutcome outcome = plain.timedOut(claim(b -> b.maxAttempts(5)), Duration.ofMinutes(5), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(outcome.result().attempts()).isEqualTo(1);
        assertThat(outcome.result().lastError()).isEqualTo("attempt timed out after 5m");
    }

    // --- text from outside ---

    @Test
    void nulAndUnpairedSurrogatesInAnErrorAreReplaced() {
        String smile = new String(Character.toChars(0x1F600));
        String text = "a" + (char) 0 + "b" + (char) 0xD800 + "c" + (char) 0xDC00 + "d" + smile + "e";

        String described = OutcomeDecider.describe(new IOException(text));

        char replacement = (char) 0xFFFD;
        assertThat(described).isEqualTo("java.io.IOException: a" + replacement + "b" + replacement + "c" + replacement
                + "d" + smile + "e");
    }

    @Test
    void aCutErrorNeverEndsInHalfASurrogatePair() {
        String prefix = "java.io.IOException: ";
        String text = "x".repeat(2000 - 3 - prefix.length() - 1) + new String(Character.toChars(0x1F600)).repeat(10);

        String described = OutcomeDecider.describe(new IOException(text));

        assertThat(described).hasSize(1999).endsWith("x...");
        assertThat(Character.isHighSurrogate(described.charAt(described.length() - 4))).isFalse();
    }

    // --- bounceDelivered ---

    @Test
    void bouncedMessageIsDeletedAfterItsBounceHandlerWithoutArchiveBounce() {
        ClaimOutcome outcome = plain.bounceDelivered(
                claimFrom(QueueState.BOUNCE, b -> b.attempts(5).lastError(PREVIOUS_ERROR)), Map.of(), NOW);

        assertTargetsTheClaim(outcome);
        assertThat(outcome.deletes()).isTrue();
    }

    @Test
    void bouncedMessageIsArchivedWithArchiveBounceKeepingTheDeliveryError() {
        ClaimOutcome outcome = archiving.bounceDelivered(
                claimFrom(QueueState.BOUNCE, b -> b.attempts(5).lastError(PREVIOUS_ERROR)),
                Map.of("x-bounce-notice", "sent"), NOW);

        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.ARCHIVED);
        assertThat(result.archivedAs()).isEqualTo(ArchiveReason.BOUNCED);
        assertThat(result.lastError()).isEqualTo(PREVIOUS_ERROR);
        assertThat(result.attempts()).isEqualTo(5);
        assertThat(result.updated()).isEqualTo(NOW);
        assertThat(result.headers()).containsExactly(
                entry("to", "alice@example.com"), entry("kind", "mail"), entry("x-bounce-notice", "sent"));
    }

    // --- bounceFailed ---

    @Test
    void failedBounceHandlerKeepsTheMessageInBounceWithItsDeliveryErrorAndAttempts() {
        ClaimOutcome outcome = plain.bounceFailed(
                claimFrom(QueueState.BOUNCE, b -> b.attempts(5).lastError(PREVIOUS_ERROR)),
                new IOException("notice service down"), Map.of(), NOW);

        assertTargetsTheClaim(outcome);
        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(result.lastError()).isEqualTo(PREVIOUS_ERROR);
        assertThat(result.attempts()).isEqualTo(5);
        assertThat(result.updated()).isEqualTo(NOW);
    }

    @Test
    void failedBounceHandlerRecordsTheBounceAttemptAndError() {
        ClaimOutcome outcome = plain.bounceFailed(claimFrom(QueueState.BOUNCE, b -> b.attempts(5)),
                new IOException("notice service down"), Map.of("x-note", "n"), NOW);

        assertThat(outcome.result().headers()).containsExactly(
                entry("to", "alice@example.com"), entry("kind", "mail"), entry("x-note", "n"),
                entry(BOUNCE_ATTEMPTS_HEADER, "1"),
                entry(BOUNCE_ERROR_HEADER, "java.io.IOException: notice service down"));
        assertThat(BOUNCE_ATTEMPTS_HEADER).isEqualTo("x-retryspool-bounce-attempts");
        assertThat(BOUNCE_ERROR_HEADER).isEqualTo("x-retryspool-bounce-error");
    }

    @Test
    void failedBounceHandlerIncrementsTheBounceAttemptCount() {
        ClaimOutcome outcome = plain.bounceFailed(
                claimFrom(QueueState.BOUNCE, b -> b.header(BOUNCE_ATTEMPTS_HEADER, "2")
                        .header(BOUNCE_ERROR_HEADER, "java.io.IOException: old")),
                new IOException("new"), Map.of(), NOW);

        assertThat(outcome.result().headers())
                .containsEntry(BOUNCE_ATTEMPTS_HEADER, "3")
                .containsEntry(BOUNCE_ERROR_HEADER, "java.io.IOException: new");
    }

    @Test
    void failedBounceHandlerClimbsTheRetryLadderWithTheBounceAttemptCount() {
        Claim first = claimFrom(QueueState.BOUNCE, b -> b.attempts(5));
        Claim second = claimFrom(QueueState.BOUNCE, b -> b.attempts(5).header(BOUNCE_ATTEMPTS_HEADER, "1"));
        Claim fourth = claimFrom(QueueState.BOUNCE, b -> b.attempts(5).header(BOUNCE_ATTEMPTS_HEADER, "3"));
        Claim twentieth = claimFrom(QueueState.BOUNCE, b -> b.attempts(5).header(BOUNCE_ATTEMPTS_HEADER, "19"));
        IOException failure = new IOException("down");

        assertThat(plain.bounceFailed(first, failure, Map.of(), NOW).result().nextRetry())
                .isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(plain.bounceFailed(second, failure, Map.of(), NOW).result().nextRetry())
                .isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(plain.bounceFailed(fourth, failure, Map.of(), NOW).result().nextRetry())
                .isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(plain.bounceFailed(twentieth, failure, Map.of(), NOW).result().nextRetry())
                .isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void unreadableBounceAttemptHeaderCountsAsNoBounceAttempts() {
        ClaimOutcome outcome = plain.bounceFailed(
                claimFrom(QueueState.BOUNCE, b -> b.header(BOUNCE_ATTEMPTS_HEADER, "lots")),
                new IOException("down"), Map.of(), NOW);

        assertThat(outcome.result().headers()).containsEntry(BOUNCE_ATTEMPTS_HEADER, "1");
        assertThat(outcome.result().nextRetry()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void failedBounceHandlerUsesTheMessagesNamedPolicy() {
        ClaimOutcome outcome = plain.bounceFailed(
                claimFrom(QueueState.BOUNCE, b -> b.retryPolicyName("fast").header(BOUNCE_ATTEMPTS_HEADER, "4")),
                new IOException("down"), Map.of(), NOW);

        assertThat(outcome.result().nextRetry()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
    }

    // --- released ---

    @Test
    void releasedClaimReturnsToTheStateItWasClaimedFromGivingTheAttemptBack() {
        Instant due = NOW.minusSeconds(30);
        ClaimOutcome outcome = plain.released(
                claimFrom(QueueState.DEFERRED, b -> b.attempts(3).lastError(PREVIOUS_ERROR).nextRetry(due)), NOW);

        assertTargetsTheClaim(outcome);
        MessageMetadata result = outcome.result();
        assertThat(result.state()).isEqualTo(QueueState.DEFERRED);
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(result.lastError()).isEqualTo(PREVIOUS_ERROR);
        assertThat(result.nextRetry()).isEqualTo(due);
        assertThat(result.headers()).containsExactly(entry("to", "alice@example.com"), entry("kind", "mail"));
    }

    @Test
    void releasedBounceClaimReturnsToBounce() {
        ClaimOutcome outcome = plain.released(claimFrom(QueueState.BOUNCE, b -> b.attempts(5)), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(outcome.result().attempts()).isEqualTo(5);
    }

    @Test
    void releasedIncomingClaimReturnsToIncoming() {
        ClaimOutcome outcome = plain.released(claim(), NOW);

        assertThat(outcome.result().state()).isEqualTo(QueueState.INCOMING);
        assertThat(outcome.result().attempts()).isZero();
    }
}
