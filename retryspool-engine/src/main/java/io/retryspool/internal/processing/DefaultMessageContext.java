package io.retryspool.internal.processing;

import io.retryspool.handler.MessageContext;
import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The context of one handler run; collects the headers the handler writes back. They obey the input limits
 * of {@link InputLimits}; the message's stored headers together with those the handler sets must keep within
 * 64 KiB.
 */
final class DefaultMessageContext implements MessageContext {

    private final String messageId;
    private final int attempt;
    private final Map<String, String> storedHeaders;
    private final Map<String, String> headers = new LinkedHashMap<>();
    /** The stored headers with those set so far, measured against the limit; made when the first header is set. */
    private InputLimits.@Nullable LimitedHeaders merged;

    DefaultMessageContext(String messageId, int attempt, Map<String, String> storedHeaders) {
        this.messageId = messageId;
        this.attempt = attempt;
        this.storedHeaders = storedHeaders;
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
        if (merged == null) {
            merged = new InputLimits.LimitedHeaders("headers", storedHeaders);
        }
        merged.put(name, value);
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
