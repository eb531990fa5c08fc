package io.retryspool.storage;

/**
 * What became of one {@link NewMessage}: stored under its own id, or not stored because a message with
 * the same idempotency key exists (then {@code id} is that message's id).
 *
 * @param id the id of the message that holds the request
 * @param created true if the message was inserted, false if an existing one was found by its idempotency key
 */
public record StoreResult(String id, boolean created) {
}
