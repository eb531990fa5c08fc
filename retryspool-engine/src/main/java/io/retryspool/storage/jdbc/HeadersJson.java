package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Headers as a JSON object whose key order is the headers' insertion order. */
final class HeadersJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> TYPE = new TypeReference<>() {
    };

    private HeadersJson() {
    }

    static String write(Map<String, String> headers) {
        return MAPPER.writeValueAsString(headers);
    }

    static Map<String, String> read(String json, String messageId) {
        try {
            return MAPPER.readValue(json, TYPE);
        } catch (JacksonException e) {
            throw new StorageException("the stored headers of message " + messageId + " are not a JSON object of strings", e);
        }
    }
}
