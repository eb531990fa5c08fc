package io.retryspool.sample;

/**
 * What {@code POST /notifications} answers.
 *
 * @param id the id to follow the notification with
 */
public record NotificationAccepted(String id) {
}
