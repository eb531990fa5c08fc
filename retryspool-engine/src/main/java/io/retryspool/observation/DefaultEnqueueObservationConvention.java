package io.retryspool.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names of an enqueue: observation {@code retryspool.enqueue}, span {@code retryspool enqueue}; no
 * low-cardinality key values (the timer is one per application); high-cardinality {@code retryspool.message.id}
 * and, for a message with one, {@code retryspool.destination}.
 */
public class DefaultEnqueueObservationConvention implements EnqueueObservationConvention {

    /** The observation's name. */
    public static final String NAME = "retryspool.enqueue";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(EnqueueContext context) {
        return "retryspool enqueue";
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(EnqueueContext context) {
        KeyValues values = KeyValues.empty();
        if (context.getMessageId() != null) {
            values = values.and(DefaultDeliveryObservationConvention.MESSAGE_ID, context.getMessageId());
        }
        if (context.getDestination() != null) {
            values = values.and(DefaultDeliveryObservationConvention.DESTINATION, context.getDestination());
        }
        return values;
    }
}
