package io.retryspool.observation;

import io.micrometer.common.KeyValues;

/**
 * The default names of a handler run: observation {@code retryspool.delivery}, span {@code retryspool delivery}
 * (a bounce handler's run: {@code retryspool bounce}); low-cardinality {@code retryspool.handler},
 * {@code retryspool.bounce} ({@code true}/{@code false}) and {@code retryspool.outcome} (a
 * {@link DeliveryOutcome#value()}, {@code unknown} while the handler runs); high-cardinality
 * {@code retryspool.message.id}, {@code retryspool.attempt} and, for a message with one,
 * {@code retryspool.destination}.
 */
public class DefaultDeliveryObservationConvention implements DeliveryObservationConvention {

    /** The observation's name. */
    public static final String NAME = "retryspool.delivery";
    /** Key of the handler's name. */
    public static final String HANDLER = "retryspool.handler";
    /** Key telling whether a bounce handler ran. */
    public static final String BOUNCE = "retryspool.bounce";
    /** Key of the outcome. */
    public static final String OUTCOME = "retryspool.outcome";
    /** Key of the message id. */
    public static final String MESSAGE_ID = "retryspool.message.id";
    /** Key of the attempt number. */
    public static final String ATTEMPT = "retryspool.attempt";
    /** Key of the destination. */
    public static final String DESTINATION = "retryspool.destination";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(DeliveryContext context) {
        return context.isBounce() ? "retryspool bounce" : "retryspool delivery";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(DeliveryContext context) {
        DeliveryOutcome outcome = context.getOutcome();
        return KeyValues.of(
                HANDLER, context.getHandlerName(),
                BOUNCE, Boolean.toString(context.isBounce()),
                OUTCOME, outcome != null ? outcome.value() : "unknown");
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(DeliveryContext context) {
        KeyValues values = KeyValues.of(MESSAGE_ID, context.getMessageId(),
                ATTEMPT, Integer.toString(context.getAttempt()));
        return context.getDestination() != null ? values.and(DESTINATION, context.getDestination()) : values;
    }
}
