package io.retryspool.sample;

import org.jspecify.annotations.Nullable;

/**
 * A notification that could not be delivered.
 *
 * @param id the message id
 * @param recipient whom it was for
 * @param lastError why its last attempt failed, or null when none was recorded
 */
public record BouncedNotification(String id, String recipient, @Nullable String lastError) {
}
