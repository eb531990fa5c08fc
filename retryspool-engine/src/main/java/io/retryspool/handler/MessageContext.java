package io.retryspool.handler;

import java.util.Map;

/**
 * What a handler knows about the current attempt, and its way to write headers back to the message.
 * Headers set here are persisted whatever the outcome: on failure, and on success when the message
 * is archived. Safe to use from several threads.
 */
public interface MessageContext {

    /**
     * Returns the id of the message being handled.
     *
     * @return the message id
     */
    String messageId();

    /**
     * Returns the number of this delivery attempt: 1 on the first delivery. For a bounce handler,
     * the number of delivery attempts the message had.
     *
     * @return the attempt number
     */
    int attempt();

    /**
     * Sets a header on the message (last value wins). The input limits of {@link io.retryspool.EnqueueRequest}
     * apply: names of 1 to 256 characters, no NUL, and the message's headers together with those set here at
     * most 64 KiB (UTF-8 names plus values).
     *
     * @param name 1 to 256 characters, without NUL
     * @param value a non-null value without NUL
     * @throws IllegalArgumentException naming {@code headers} if the header breaks a limit; it is not set
     */
    void setHeader(String name, String value);

    /**
     * Sets several headers on the message.
     *
     * @param headers the headers
     */
    void setHeaders(Map<String, String> headers);
}
