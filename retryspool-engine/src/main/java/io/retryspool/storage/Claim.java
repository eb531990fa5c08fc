package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;

import java.time.Instant;
import java.util.Objects;

/**
 * A message taken by one worker under a lease. The metadata is in state ACTIVE, with the attempt the claim
 * counted already included in {@code attempts}; {@code claimedFrom} is where the message came from. The token
 * is unique per claim: every outcome write is a compare-and-set on it, so a worker whose lease was lost (or whose
 * message an operator moved) cannot overwrite what happened since.
 *
 * @param metadata the message's metadata as claimed, in state ACTIVE
 * @param claimedFrom the state the message was claimed from
 * @param token the claim token
 * @param owner the instance holding the lease
 * @param leaseUntil when the lease expires unless renewed, on the store's clock
 * @param lifetimeStart when the message's maximum lifetime started: its creation, or the last time an operator
 *                      released or requeued it (which gives it a fresh budget)
 */
public record Claim(MessageMetadata metadata, QueueState claimedFrom, String token, String owner, Instant leaseUntil,
                    Instant lifetimeStart) {

    /** Creates a claim; every component is required. */
    public Claim {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(claimedFrom, "claimedFrom");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(lifetimeStart, "lifetimeStart");
    }

    /**
     * Returns the claimed message's id.
     *
     * @return the id
     */
    public String id() {
        return metadata.id();
    }

    /**
     * Tells whether the claim is a delivery attempt (from INCOMING or DEFERRED), which counted an attempt, rather
     * than a run of the bounce handlers (from BOUNCE).
     *
     * @return true for a delivery attempt
     */
    public boolean isDelivery() {
        return claimedFrom != QueueState.BOUNCE;
    }
}
