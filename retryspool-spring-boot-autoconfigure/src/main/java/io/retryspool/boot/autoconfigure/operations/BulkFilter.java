package io.retryspool.boot.autoconfigure.operations;

import io.retryspool.MessageFilter;
import io.retryspool.QueueState;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filter} object of a bulk request to the {@code retryspool} endpoint or the dashboard, as a JSON body
 * delivers it (a map):
 * {@code {"state": "deferred", "headers": {"name": "value"}, "olderThan": "PT1H" or "1h", "errorContains": "...",
 * "destination": "..."}}, every field optional. Parsing checks every field and throws an
 * {@link IllegalArgumentException} naming it.
 *
 * @param state the state asked for, or null for the states the action allows
 * @param headers header criteria, in the request's order
 * @param olderThan the age criterion, or null
 * @param errorContains the error text criterion, or null
 * @param destination the destination criterion, or null
 */
public record BulkFilter(@Nullable QueueState state, Map<String, String> headers, @Nullable Duration olderThan,
                         @Nullable String errorContains, @Nullable String destination) {

    private static final Set<String> FIELDS = Set.of("state", "headers", "olderThan", "errorContains", "destination");

    /**
     * Reads a filter object.
     *
     * @param filter the object, or null for no criteria
     * @return the request
     * @throws IllegalArgumentException if a field is unknown or malformed, naming it
     */
    public static BulkFilter parse(@Nullable Map<?, ?> filter) {
        if (filter == null) {
            return new BulkFilter(null, Map.of(), null, null, null);
        }
        for (Object field : filter.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("filter." + field + ": unknown field; expected state, headers,"
                        + " olderThan, errorContains, destination");
            }
        }
        return new BulkFilter(state("filter.state", filter.get("state")), headers(filter.get("headers")),
                olderThan("filter.olderThan", filter.get("olderThan")),
                text("filter.errorContains", filter.get("errorContains")),
                text("filter.destination", filter.get("destination")));
    }

    /**
     * Reads the criteria given as separate fields, as the endpoint's bulk operation and its listing take them; blank
     * fields are absent.
     *
     * @param state the state's name, in any case
     * @param header {@code name:value}, split at the first colon
     * @param olderThan an age, {@code PT1H} or {@code 1h}
     * @param errorContains text the last error must contain
     * @param destination the destination the messages must have
     * @return the request
     * @throws IllegalArgumentException if a field is malformed, naming it
     */
    public static BulkFilter ofFields(@Nullable String state, @Nullable String header, @Nullable String olderThan,
                                      @Nullable String errorContains, @Nullable String destination) {
        Map.Entry<String, String> criterion = OperatorRequests.headerCriterion(header);
        Map<String, String> headers = criterion == null ? Map.of() : Map.ofEntries(criterion);
        return new BulkFilter(isBlank(state) ? null : state("state", state), headers,
                isBlank(olderThan) ? null : olderThan("olderThan", olderThan),
                isBlank(errorContains) ? null : errorContains, isBlank(destination) ? null : destination);
    }

    private static boolean isBlank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    /**
     * Builds the engine's filter for one state, checking the criteria as {@link MessageFilter.Builder} does.
     *
     * @param forState the state, or null for none
     * @return the filter
     */
    public MessageFilter toFilter(@Nullable QueueState forState) {
        MessageFilter.Builder builder = MessageFilter.builder();
        if (forState != null) {
            builder.state(forState);
        }
        headers.forEach(builder::headerEquals);
        if (olderThan != null) {
            builder.olderThan(olderThan);
        }
        if (errorContains != null) {
            builder.errorContains(errorContains);
        }
        if (destination != null) {
            builder.destination(destination);
        }
        return builder.build();
    }

    private static @Nullable QueueState state(String field, @Nullable Object value) {
        String name = text(field, value);
        if (name == null) {
            return null;
        }
        try {
            return QueueState.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(field + ": unknown state '" + name + "'; expected one of "
                    + Arrays.toString(QueueState.values()), ex);
        }
    }

    private static Map<String, String> headers(@Nullable Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("filter.headers: must be an object of header names and values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        map.forEach((name, headerValue) -> {
            if (!(headerValue instanceof String text)) {
                throw new IllegalArgumentException("filter.headers." + name + ": must be a string");
            }
            headers.put(String.valueOf(name), text);
        });
        return headers;
    }

    private static @Nullable Duration olderThan(String field, @Nullable Object value) {
        String text = text(field, value);
        return text == null ? null : duration(field, text);
    }

    /**
     * Reads an age as the bulk filter's {@code olderThan} is read: ISO-8601 ({@code PT1H}) or simple ({@code 1h}).
     *
     * @param field the field's name, for the message
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException if the text is no duration, naming the field
     */
    public static Duration duration(String field, String text) {
        try {
            return DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a duration such as PT1H or 1h", ex);
        }
    }

    private static @Nullable String text(String field, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return text;
    }
}
