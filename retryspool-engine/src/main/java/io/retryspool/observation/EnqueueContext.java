package io.retryspool.observation;

import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The context of one {@code retryspool.enqueue} observation: one message being stored. Its carrier is a mutable
 * copy of the message's headers; what a tracing handler propagates into it (the W3C {@code traceparent} and
 * {@code tracestate}) is stored with the message and read again by every delivery attempt.
 */
public final class EnqueueContext extends SenderContext<Map<String, String>> {

    private final @Nullable String destination;
    private @Nullable String messageId;

    /**
     * Creates the context of one enqueue.
     *
     * @param headers the message's headers, mutable: propagated fields are put into it
     * @param destination where the message goes, or null for none
     */
    public EnqueueContext(Map<String, String> headers, @Nullable String destination) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        setCarrier(headers);
        this.destination = destination;
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
     * Returns the id of the stored message, known once the store has answered.
     *
     * @return the id, or null while the message is being stored or when storing failed
     */
    public @Nullable String getMessageId() {
        return messageId;
    }

    /**
     * Sets the id of the stored message.
     *
     * @param messageId the id
     */
    public void setMessageId(String messageId) {
        this.messageId = messageId;
    }
}
