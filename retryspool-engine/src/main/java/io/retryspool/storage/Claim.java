package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;

import java.time.Instant;
import java.util.Objects;

/**
 * A message taken by one worker under a lease. The metadata is in state ACTIVE; {@code claimedFrom}
 * is where the message goes back if the lease expires or the claim is released. The token is unique
 * per claim: every outcome write is a compare-and-set on it, so a worker whose lease was lost (or whose
 * message an operator moved) cannot overwrite what happened since.
 *
 * @param metadata the message's metadata as claimed, in state ACTIVE
 * @param claimedFrom the state the message was claimed from
 * @param token the claim token
 * @param owner the instance holding the lease
 * @param leaseUntil when the lease expires unless renewed
 */
public record Claim(MessageMetadata metadata, QueueState claimedFrom, String token, String owner, Instant leaseUntil) {

    /** Creates a claim; every component is required. */
    public Claim {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(claimedFrom, "claimedFrom");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
    }

    /**
     * Returns the claimed message's id.
     *
     * @return the id
     */
    public String id() {
        return metadata.id();
    }
}
