package io.retryspool.internal.processing;

import io.retryspool.ArchiveReason;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.codec.BodyDecodingException;
import io.retryspool.handler.PermanentException;
import io.retryspool.retry.RetryPolicy;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DestinationResult;
import io.retryspool.storage.MissingBodyException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns what happened to a claimed message into the outcome to store. Pure logic: no I/O, time passed in.
 *
 * <p>A delivery claim has counted its attempt already (stores count it when claiming). Delivery: success deletes or
 * archives; a permanent failure (a {@link PermanentException}, a missing body
 * or a body that cannot be decoded, anywhere in the cause chain) bounces; any other failure defers per the message's retry policy while
 * attempts and lifetime allow, else bounces. Bounce handling: success deletes or archives; a failure keeps
 * the message in BOUNCE, due again per the retry ladder, without counting a delivery attempt and without
 * touching the delivery error. What an attempt tells about its message's destination is decided here too
 * ({@link #destinationResult}).
 */
public final class OutcomeDecider {

    /** Header counting failed bounce-handler runs. */
    public static final String BOUNCE_ATTEMPTS_HEADER = "x-retryspool-bounce-attempts";
    /** Header holding the last bounce-handler failure. */
    public static final String BOUNCE_ERROR_HEADER = "x-retryspool-bounce-error";

    private final RetryPolicies retryPolicies;
    private final Duration maxLifetime;
    private final boolean archiveSuccess;
    private final boolean archiveBounce;

    /**
     * Creates a decider.
     *
     * @param retryPolicies the policies messages use
     * @param maxLifetime how long a message may stay before a failure bounces it
     * @param archiveSuccess whether delivered messages are archived
     * @param archiveBounce whether bounced messages are archived after their bounce handler ran
     */
    public OutcomeDecider(RetryPolicies retryPolicies, Duration maxLifetime, boolean archiveSuccess, boolean archiveBounce) {
        this.retryPolicies = retryPolicies;
        this.maxLifetime = maxLifetime;
        this.archiveSuccess = archiveSuccess;
        this.archiveBounce = archiveBounce;
    }

    /**
     * A delivery succeeded.
     *
     * @param claim the claim
     * @param handlerHeaders headers the handler set
     * @param now the current time
     * @return delete, or archive as {@link ArchiveReason#DELIVERED} with the last error cleared (the claim counted the
     *         attempt)
     */
    public ClaimOutcome delivered(Claim claim, Map<String, String> handlerHeaders, Instant now) {
        if (!archiveSuccess) {
            return ClaimOutcome.delete(claim);
        }
        MessageMetadata claimed = claim.metadata();
        return ClaimOutcome.update(claim, claimed.toBuilder()
                .state(QueueState.ARCHIVED).archivedAs(ArchiveReason.DELIVERED).lastError(null)
                .clearHeaders().headers(merge(claimed.headers(), handlerHeaders)).updated(now).build());
    }

    /**
     * A delivery failed.
     *
     * @param claim the claim
     * @param failure what the handler threw (or what stopped it from running)
     * @param handlerHeaders headers the handler set
     * @param now the current time
     * @return DEFERRED with the next retry time, or BOUNCE when the failure is permanent, the attempts (counted by the
     *         claim) are used up or the message's lifetime is over
     */
    public ClaimOutcome deliveryFailed(Claim claim, Throwable failure, Map<String, String> handlerHeaders, Instant now) {
        MessageMetadata claimed = claim.metadata();
        int attempts = claimed.attempts();
        String error = describe(failure);
        MessageMetadata.Builder result = claimed.toBuilder().attempts(attempts).updated(now)
                .clearHeaders().headers(merge(claimed.headers(), handlerHeaders));
        RetryPolicy policy = retryPolicies.policyFor(claimed);
        if (isPermanent(failure)) {
            return ClaimOutcome.update(claim, result.state(QueueState.BOUNCE).nextRetry(now).lastError(error).build());
        }
        if (!policy.shouldRetry(attempts, claimed.maxAttempts(), failure)) {
            return ClaimOutcome.update(claim, result.state(QueueState.BOUNCE).nextRetry(now)
                    .lastError(withNote(failure, " (bounced after " + attempts + " attempts)")).build());
        }
        if (lifetimeExceeded(claim, now)) {
            return ClaimOutcome.update(claim, result.state(QueueState.BOUNCE).nextRetry(now)
                    .lastError(withNote(failure, " (bounced: older than the maximum lifetime " + maxLifetime + ")")).build());
        }
        return ClaimOutcome.update(claim, result.state(QueueState.DEFERRED)
                .nextRetry(policy.nextRetry(attempts, failure, now)).lastError(error).build());
    }

    /**
     * No delivery handler accepts the message.
     *
     * @param claim the claim
     * @param now the current time
     * @return BOUNCE, with a last error that says so and names the headers (never their values); the attempt the
     *         claim counted is given back
     */
    public ClaimOutcome noHandler(Claim claim, Instant now) {
        MessageMetadata claimed = claim.metadata();
        return ClaimOutcome.update(claim, claimed.toBuilder().state(QueueState.BOUNCE).nextRetry(now).updated(now)
                .attempts(attemptsGivenBack(claim))
                .lastError(ErrorTexts.clean("no handler accepts message " + claimed.id() + " with headers "
                        + claimed.headers().keySet()))
                .build());
    }

    /**
     * The claim's worker stopped renewing its lease: the attempt failed. A delivery attempt is then deferred or
     * bounced as any retryable failure; a bounce-handler run stays in BOUNCE, due again per the retry ladder.
     *
     * @param claim the expired claim
     * @param now the current time
     * @return the outcome
     */
    public ClaimOutcome leaseExpired(Claim claim, Instant now) {
        return failed(claim, AttemptFailure.leaseExpired(), now);
    }

    /**
     * The attempt ran past the attempt timeout: a retryable failure.
     *
     * @param claim the claim
     * @param timeout the attempt timeout
     * @param now the current time
     * @return the outcome
     */
    public ClaimOutcome timedOut(Claim claim, Duration timeout, Instant now) {
        return failed(claim, AttemptFailure.timedOut(timeout), now);
    }

    private ClaimOutcome failed(Claim claim, Throwable failure, Instant now) {
        return claim.isDelivery() ? deliveryFailed(claim, failure, Map.of(), now)
                : bounceFailed(claim, failure, Map.of(), now);
    }

    /**
     * A bounce handler succeeded.
     *
     * @param claim the claim
     * @param handlerHeaders headers the handler set
     * @param now the current time
     * @return delete, or archive as {@link ArchiveReason#BOUNCED} keeping the delivery error
     */
    public ClaimOutcome bounceDelivered(Claim claim, Map<String, String> handlerHeaders, Instant now) {
        if (!archiveBounce) {
            return ClaimOutcome.delete(claim);
        }
        MessageMetadata claimed = claim.metadata();
        return ClaimOutcome.update(claim, claimed.toBuilder().state(QueueState.ARCHIVED).archivedAs(ArchiveReason.BOUNCED).updated(now)
                .clearHeaders().headers(merge(claimed.headers(), handlerHeaders)).build());
    }

    /**
     * A bounce handler failed, or none accepts the message.
     *
     * @param claim the claim
     * @param failure the failure
     * @param handlerHeaders headers the handler set
     * @param now the current time
     * @return BOUNCE again, due per the retry ladder; the delivery error and attempts are kept
     */
    public ClaimOutcome bounceFailed(Claim claim, Throwable failure, Map<String, String> handlerHeaders, Instant now) {
        MessageMetadata claimed = claim.metadata();
        int bounceAttempts = bounceAttempts(claimed) + 1;
        Map<String, String> headers = merge(claimed.headers(), handlerHeaders);
        headers.put(BOUNCE_ATTEMPTS_HEADER, Integer.toString(bounceAttempts));
        headers.put(BOUNCE_ERROR_HEADER, describe(failure));
        Instant next = retryPolicies.policyFor(claimed).nextRetry(bounceAttempts, failure, now);
        return ClaimOutcome.update(claim, claimed.toBuilder().state(QueueState.BOUNCE).nextRetry(next).updated(now)
                .clearHeaders().headers(headers).build());
    }

    /**
     * The claim is given back unprocessed (stop before start, or interruption at shutdown).
     *
     * @param claim the claim
     * @param now the current time
     * @return the message back in the state it was claimed from with the attempt the claim counted given back,
     *         nothing else changed
     */
    public ClaimOutcome released(Claim claim, Instant now) {
        return ClaimOutcome.update(claim, claim.metadata().toBuilder().state(claim.claimedFrom())
                .attempts(attemptsGivenBack(claim)).updated(now).build());
    }

    /**
     * Tells what a finished delivery attempt says about its message's destination: a delivered message is a success;
     * a retryable failure (a handler's, a timed-out attempt, an expired lease) is a failure, even when it bounces a
     * message whose attempts or lifetime are used up; a permanent failure (see {@link #deliveryFailed}) says nothing
     * about the destination.
     *
     * @param claim the claim
     * @param failure what ended the attempt, or null if it delivered the message
     * @return the result, or null when there is none to report: the message has no destination, the claim was a run
     *         of the bounce handlers, or the failure is permanent
     */
    public @Nullable DestinationResult destinationResult(Claim claim, @Nullable Throwable failure) {
        String destination = claim.metadata().destination();
        if (destination == null || !claim.isDelivery()) {
            return null;
        }
        if (failure == null) {
            return new DestinationResult(destination, true);
        }
        return isPermanent(failure) ? null : new DestinationResult(destination, false);
    }

    /**
     * Describes a failure the way {@code lastError} holds it: class name and message (the message alone for the
     * spool's own failures), NUL and unpaired surrogates replaced, at most 2,000 characters.
     *
     * @param failure the failure
     * @return the description
     */
    public static String describe(Throwable failure) {
        return ErrorTexts.clean(text(failure));
    }

    private static String text(Throwable failure) {
        String message = failure.getMessage();
        if (failure instanceof AttemptFailure && message != null) {
            return message;
        }
        return failure.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /** The failure's description cut short enough that the note always fits. */
    private static String withNote(Throwable failure, String note) {
        return ErrorTexts.clean(text(failure), ErrorTexts.MAX_LENGTH - note.length()) + note;
    }

    private static int attemptsGivenBack(Claim claim) {
        int attempts = claim.metadata().attempts();
        return claim.isDelivery() ? Math.max(0, attempts - 1) : attempts;
    }

    private boolean lifetimeExceeded(Claim claim, Instant now) {
        return !now.isBefore(claim.lifetimeStart().plus(maxLifetime));
    }

    private static boolean isPermanent(Throwable failure) {
        return Causes.anyMatch(failure, t -> t instanceof PermanentException || t instanceof MissingBodyException
                || t instanceof BodyDecodingException);
    }

    private static int bounceAttempts(MessageMetadata metadata) {
        String value = metadata.headers().get(BOUNCE_ATTEMPTS_HEADER);
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> merge(Map<String, String> stored, Map<String, String> fromHandler) {
        Map<String, String> merged = new LinkedHashMap<>(stored);
        merged.putAll(fromHandler);
        return merged;
    }
}
