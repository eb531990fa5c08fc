package io.retryspool.observation;

import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The context of one {@code retryspool.delivery} observation: one handler run on a claimed message, a delivery
 * attempt or a bounce handler's run. Its carrier is the message's stored headers, from which a tracing handler
 * continues the trace its enqueue started.
 */
public final class DeliveryContext extends ReceiverContext<Map<String, String>> {

    private final String messageId;
    private final int attempt;
    private final String handlerName;
    private final boolean bounce;
    private final @Nullable String destination;
    private @Nullable DeliveryOutcome outcome;

    /**
     * Creates the context of one handler run.
     *
     * @param headers the message's stored headers
     * @param messageId the message's id
     * @param attempt the attempt number, as the handler's {@link io.retryspool.handler.MessageContext#attempt()} has it
     * @param handlerName the name of the handler that runs
     * @param bounce whether a bounce handler runs rather than a delivery handler
     * @param destination where the message goes, or null for none
     */
    public DeliveryContext(Map<String, String> headers, String messageId, int attempt, String handlerName,
                           boolean bounce, @Nullable String destination) {
        super(Map::get);
        setCarrier(headers);
        this.messageId = messageId;
        this.attempt = attempt;
        this.handlerName = handlerName;
        this.bounce = bounce;
        this.destination = destination;
    }

    /**
     * Returns the message's id.
     *
     * @return the id
     */
    public String getMessageId() {
        return messageId;
    }

    /**
     * Returns the number of the attempt.
     *
     * @return the attempt
     */
    public int getAttempt() {
        return attempt;
    }

    /**
     * Returns the name of the handler that runs.
     *
     * @return the handler's name
     */
    public String getHandlerName() {
        return handlerName;
    }

    /**
     * Tells whether a bounce handler runs.
     *
     * @return true for a bounce handler's run, false for a delivery attempt
     */
    public boolean isBounce() {
        return bounce;
    }

    /**
     * Returns where the message goes.
     *
     * @return the destination, or null for none
     */
    public @Nullable String getDestination() {
        return destination;
    }

    /**
     * Returns what became of the message after this run, known when the handler has returned or thrown.
     *
     * @return the outcome, or null while the handler runs
     */
    public @Nullable DeliveryOutcome getOutcome() {
        return outcome;
    }

    /**
     * Sets what became of the message after this run.
     *
     * @param outcome the outcome
     */
    public void setOutcome(DeliveryOutcome outcome) {
        this.outcome = outcome;
    }
}
