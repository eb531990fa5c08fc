package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of processing a claimed message, written by {@link MetaStore#complete(java.util.List)} as a
 * compare-and-set on the claim's token. Either the message is deleted, or its state, attempts, next retry,
 * last error, headers, update time and archive reason are replaced by those of {@code result} and the lease is
 * cleared; its other fields keep their stored values.
 *
 * @param id the message id
 * @param token the claim token the write is conditional on
 * @param result the new metadata, or null to delete the message
 */
public record ClaimOutcome(String id, String token, @Nullable MessageMetadata result) {

    /** Creates an outcome, checking its components. */
    public ClaimOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        if (result != null) {
            if (!result.id().equals(id)) {
                throw new IllegalArgumentException("result: metadata id " + result.id() + " differs from " + id);
            }
            if (result.state() == QueueState.ACTIVE) {
                throw new IllegalArgumentException("result: an outcome cannot leave message " + id + " ACTIVE");
            }
        }
    }

    /**
     * Returns an outcome that deletes the claimed message.
     *
     * @param claim the claim
     * @return the outcome
     */
    public static ClaimOutcome delete(Claim claim) {
        return new ClaimOutcome(claim.id(), claim.token(), null);
    }

    /**
     * Returns an outcome that stores new metadata for the claimed message.
     *
     * @param claim the claim
     * @param result the new metadata; its state must not be ACTIVE
     * @return the outcome
     */
    public static ClaimOutcome update(Claim claim, MessageMetadata result) {
        return new ClaimOutcome(claim.id(), claim.token(), Objects.requireNonNull(result, "result"));
    }

    /**
     * Tells whether this outcome deletes the message.
     *
     * @return true for a deletion
     */
    public boolean deletes() {
        return result == null;
    }
}
