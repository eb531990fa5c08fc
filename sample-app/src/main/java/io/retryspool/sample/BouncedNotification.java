package io.retryspool.sample;

/**
 * A notification that could not be delivered.
 *
 * @param id the message id
 * @param recipient whom it was for
 * @param lastError why its last attempt failed
 */
public record BouncedNotification(String id, String recipient, String lastError) {
}
