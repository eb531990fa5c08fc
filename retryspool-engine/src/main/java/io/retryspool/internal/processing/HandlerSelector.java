package io.retryspool.internal.processing;

import io.retryspool.handler.MessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Picks the first handler whose {@code canHandle} accepts a message's headers. */
public final class HandlerSelector {

    private static final Logger log = LoggerFactory.getLogger(HandlerSelector.class);

    private final List<MessageHandler> handlers;

    /**
     * Creates a selector over handlers in priority order.
     *
     * @param handlers the handlers
     */
    public HandlerSelector(List<MessageHandler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    /**
     * Selects a handler. A {@code canHandle} that throws counts as a refusal.
     *
     * @param messageId the message's id, for the log
     * @param headers the message's headers
     * @return the first accepting handler, if any
     */
    public Optional<MessageHandler> select(String messageId, Map<String, String> headers) {
        for (MessageHandler handler : handlers) {
            try {
                if (handler.canHandle(headers)) {
                    return Optional.of(handler);
                }
            } catch (RuntimeException e) {
                log.warn("Handler {} failed to decide whether it handles message {}; skipping it", handler.name(), messageId, e);
            }
        }
        return Optional.empty();
    }
}
