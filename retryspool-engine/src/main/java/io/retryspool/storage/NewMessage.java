package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message to insert: its metadata (in state INCOMING, or HOLD; never with an archive reason) and its optional
 * idempotency key.
 *
 * @param metadata the metadata to store
 * @param idempotencyKey the key that makes the insert idempotent, or null
 */
public record NewMessage(MessageMetadata metadata, @Nullable String idempotencyKey) {

    /** Creates a new message, checking its components. */
    public NewMessage {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.state() == QueueState.ACTIVE) {
            throw new IllegalArgumentException("metadata: a new message cannot be ACTIVE");
        }
        if (metadata.archivedAs() != null) {
            throw new IllegalArgumentException("metadata: a new message " + metadata.id()
                    + " has no archive reason; only the spool archives a message");
        }
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey: must not be blank");
        }
    }
}
