package io.retryspool.internal.processing;

import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.MessageTypes;
import io.retryspool.handler.ListenerMethod;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetrySpoolListeners;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers typed messages to {@link io.retryspool.handler.RetrySpoolListener} methods: takes the messages whose
 * {@code x-retryspool-type} has a listener, reads the JSON body into the listener's payload type and calls it. A
 * body that cannot be read, or a destination that no listener of the type takes, is a permanent failure.
 */
public final class TypedListenerHandler implements MessageHandler {

    private final RetrySpoolListeners listeners;
    private final JsonMapper jsonMapper;
    private final boolean bounce;
    private final Map<ListenerMethod, JavaType> payloadTypes = new ConcurrentHashMap<>();

    /**
     * Creates the handler of one kind of listener.
     *
     * @param listeners the registered listeners
     * @param jsonMapper reads bodies into payloads
     * @param bounce true to serve bounce listeners, false for delivery listeners
     */
    public TypedListenerHandler(RetrySpoolListeners listeners, JsonMapper jsonMapper, boolean bounce) {
        this.listeners = listeners;
        this.jsonMapper = jsonMapper;
        this.bounce = bounce;
    }

    @Override
    public String name() {
        return bounce ? "RetrySpoolListener(bounce)" : "RetrySpoolListener";
    }

    @Override
    public boolean canHandle(Map<String, String> headers) {
        String type = headers.get(MessageTypes.TYPE_HEADER);
        return type != null && listeners.handles(bounce, type);
    }

    @Override
    public void handle(MessageContext context, Message message, MessageBody body) throws Exception {
        String type = Objects.requireNonNull(message.metadata().headers().get(MessageTypes.TYPE_HEADER),
                "canHandle accepts typed messages only");
        String destination = message.metadata().destination();
        ListenerMethod listener = listeners.find(bounce, type, destination).orElseThrow(() -> new PermanentException(
                "No @RetrySpoolListener" + (bounce ? "(bounce = true)" : "") + " for type '" + type + "' takes "
                        + (destination == null ? "messages without a destination" : "destination '" + destination + "'")));
        Object payload;
        try {
            payload = jsonMapper.readValue(body, payloadType(listener));
        } catch (JacksonException e) {
            throw new PermanentException("Payload of type '" + type + "' cannot be read as "
                    + listener.payloadType().getTypeName() + ": " + e.getOriginalMessage(), e);
        }
        listener.invoke(payload, context);
    }

    /**
     * Checks that every registered listener's payload type can be read from JSON with this mapper, so that a type
     * Jackson rejects fails the start rather than every delivery.
     *
     * @throws IllegalArgumentException naming the method whose payload type cannot be read
     */
    public void checkPayloadTypes() {
        for (ListenerMethod listener : listeners.methods()) {
            if (listener.bounce() == bounce) {
                payloadType(listener);
            }
        }
    }

    private JavaType payloadType(ListenerMethod listener) {
        return payloadTypes.computeIfAbsent(listener, this::resolve);
    }

    private JavaType resolve(ListenerMethod listener) {
        JavaType type = jsonMapper.constructType(listener.payloadType());
        try {
            jsonMapper._deserializationContext().findRootValueDeserializer(type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(listener + ": the payload parameter " + type.toCanonical()
                    + " cannot be read from JSON: " + e.getOriginalMessage(), e);
        }
        return type;
    }
}
