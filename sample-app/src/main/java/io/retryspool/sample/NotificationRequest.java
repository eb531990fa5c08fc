package io.retryspool.sample;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What {@code POST /notifications} accepts.
 *
 * @param recipient whom to notify; required
 * @param subject the subject, possibly absent
 * @param body the text, possibly absent
 * @param sendAt when to deliver at the earliest; absent for at once
 */
public record NotificationRequest(@Nullable String recipient, @Nullable String subject, @Nullable String body,
                                  @Nullable Instant sendAt) {
}
