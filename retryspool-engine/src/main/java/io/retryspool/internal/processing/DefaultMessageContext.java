package io.retryspool.internal.processing;

import io.retryspool.handler.MessageContext;
import io.retryspool.internal.Arguments;

import java.util.LinkedHashMap;
import java.util.Map;

/** The context of one handler run; collects the headers the handler writes back. */
final class DefaultMessageContext implements MessageContext {

    private final String messageId;
    private final int attempt;
    private final Map<String, String> headers = new LinkedHashMap<>();

    DefaultMessageContext(String messageId, int attempt) {
        this.messageId = messageId;
        this.attempt = attempt;
    }

    @Override
    public String messageId() {
        return messageId;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public synchronized void setHeader(String name, String value) {
        Arguments.requireHeader(name, value);
        headers.put(name, value);
    }

    @Override
    public synchronized void setHeaders(Map<String, String> headers) {
        Arguments.requireNonNull("headers", headers).forEach(this::setHeader);
    }

    synchronized Map<String, String> headers() {
        return new LinkedHashMap<>(headers);
    }
}
