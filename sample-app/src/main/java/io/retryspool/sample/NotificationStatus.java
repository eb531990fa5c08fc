package io.retryspool.sample;

import io.retryspool.ArchiveReason;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /notifications/{id}} answers.
 *
 * @param id the message id
 * @param state the spool state (ARCHIVED once delivered, as this sample keeps delivered messages)
 * @param attempts delivery attempts made
 * @param nextRetry when it is next due
 * @param lastError why the last attempt failed, or null
 * @param archivedAs why an ARCHIVED notification was kept: {@code DELIVERED} (or {@code BOUNCED} with
 *                   {@code retryspool.archive.bounce=true}); null while it is not ARCHIVED
 */
public record NotificationStatus(String id, QueueState state, int attempts, Instant nextRetry, @Nullable String lastError,
                                 @Nullable ArchiveReason archivedAs) {

    /**
     * Takes the fields from a message's metadata.
     *
     * @param metadata the metadata
     * @return the status
     */
    public static NotificationStatus of(MessageMetadata metadata) {
        return new NotificationStatus(metadata.id(), metadata.state(), metadata.attempts(), metadata.nextRetry(),
                metadata.lastError(), metadata.archivedAs());
    }
}
