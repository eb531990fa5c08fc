package io.retryspool.internal;

import io.retryspool.EnqueueRequest;
import io.retryspool.MessageTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/** Turns requests that carry a payload object into requests with its JSON body and the typed-message headers. */
final class TypedPayloads {

    private final JsonMapper jsonMapper;

    TypedPayloads(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** Returns the request with its payload written as the body, or the request itself when it has a body. */
    EnqueueRequest toBody(EnqueueRequest request) {
        Object payload = request.payload();
        if (payload == null) {
            return request;
        }
        byte[] json;
        try {
            json = jsonMapper.writeValueAsBytes(payload);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("payload: cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        return request.toBuilder()
                .header(MessageTypes.CONTENT_TYPE_HEADER, MessageTypes.JSON)
                .header(MessageTypes.TYPE_HEADER, MessageTypes.nameOf(payload.getClass()))
                .body(json)
                .build();
    }

    /** Returns the requests with their payloads written as bodies; the same list when none has a payload. */
    List<EnqueueRequest> toBodies(List<EnqueueRequest> requests) {
        if (requests.stream().allMatch(request -> request.payload() == null)) {
            return requests;
        }
        List<EnqueueRequest> converted = new ArrayList<>(requests.size());
        for (EnqueueRequest request : requests) {
            converted.add(toBody(request));
        }
        return converted;
    }
}
