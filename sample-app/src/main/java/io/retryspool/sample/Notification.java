package io.retryspool.sample;

import io.retryspool.RetrySpoolMessage;

/**
 * A notification as the spool keeps it: written as JSON when it is sent, read back into this record for
 * {@link NotificationDelivery}. Its logical name, not its class name, is stored with it, so the record can be
 * renamed or moved without stranding the notifications already waiting.
 *
 * @param recipient whom to notify
 * @param subject the subject
 * @param text the text
 */
@RetrySpoolMessage("notification")
public record Notification(String recipient, String subject, String text) {
}
