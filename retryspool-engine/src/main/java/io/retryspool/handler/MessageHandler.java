package io.retryspool.handler;

import io.retryspool.Message;
import io.retryspool.MessageBody;

import java.util.Map;

/**
 * Delivers messages. The spool gives each due message to the first registered handler whose
 * {@link #canHandle(Map)} accepts its headers. Returning normally means delivered; throwing
 * {@link PermanentException} bounces the message; any other exception (and any {@link Error}) is
 * a retryable failure.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Returns the handler's name, used in logs, metrics and error texts.
     *
     * @return the name; by default the class's simple name
     */
    default String name() {
        String simpleName = getClass().getSimpleName();
        return simpleName.isEmpty() ? getClass().getName() : simpleName;
    }

    /**
     * Tells whether this handler takes a message with these headers.
     *
     * @param headers the message's headers
     * @return true to handle it; by default always
     */
    default boolean canHandle(Map<String, String> headers) {
        return true;
    }

    /**
     * Delivers one message. The body need not be read or closed; the spool closes it.
     *
     * @param context the attempt's context: id, attempt number, header backchannel
     * @param message the message's id and metadata
     * @param body the message's body
     * @throws Exception any failure; see the class comment for how it is treated
     */
    void handle(MessageContext context, Message message, MessageBody body) throws Exception;
}
