package io.retryspool.sample;

import java.time.Instant;

/**
 * What {@code POST /notifications} accepts.
 *
 * @param recipient whom to notify; required
 * @param subject the subject, possibly absent
 * @param body the text, possibly absent
 * @param sendAt when to deliver at the earliest; absent for at once
 */
public record NotificationRequest(String recipient, String subject, String body, Instant sendAt) {
}
