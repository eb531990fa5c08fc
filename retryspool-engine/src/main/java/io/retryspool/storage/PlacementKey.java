package io.retryspool.storage;

import org.jspecify.annotations.Nullable;

/**
 * What places a new message on one of several databases ({@link SpoolStore#placeNewMessages}): its destination, whose
 * messages all go to one database so that the destination's limits hold there, or else its idempotency key, which
 * must mean one message across the databases. A message with neither is placed with the others of its enqueue.
 *
 * @param destination the message's destination, or null
 * @param idempotencyKey the message's idempotency key, or null
 */
public record PlacementKey(@Nullable String destination, @Nullable String idempotencyKey) {

    /** A message with neither a destination nor an idempotency key. */
    public static final PlacementKey NONE = new PlacementKey(null, null);

    /**
     * The value that places the message: the destination when it has one, else the idempotency key, else null.
     *
     * @return the value the message is placed by, or null if it is placed with the others of its enqueue
     */
    public @Nullable String value() {
        return destination != null ? destination : idempotencyKey;
    }
}
