package io.retryspool.checks;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the public value types; each failure names the argument. */
public final class Arguments {

    private Arguments() {
    }

    /**
     * Checks a message id.
     *
     * @param name the argument's name for the error message
     * @param id the id
     * @return the id
     */
    public static String requireId(String name, @Nullable String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + ": must not be null or blank");
        }
        return id;
    }

    /**
     * Checks that a value is not null.
     *
     * @param name the argument's name
     * @param value the value
     * @param <T> its type
     * @return the value
     */
    public static <T> T requireNonNull(String name, @Nullable T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        return value;
    }

    /**
     * Checks a priority against the allowed range 0..100.
     *
     * @param name the argument's name
     * @param priority the priority
     * @return the priority
     */
    public static int requirePriority(String name, int priority) {
        if (priority < 0 || priority > 100) {
            throw new IllegalArgumentException(name + ": must be between 0 and 100, was " + priority);
        }
        return priority;
    }

    /**
     * Checks an integer that must be at least one.
     *
     * @param name the argument's name
     * @param value the value
     * @return the value
     */
    public static int requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": must be at least 1, was " + value);
        }
        return value;
    }

    /**
     * Checks a duration that must be present and greater than zero.
     *
     * @param name the argument's name
     * @param duration the duration
     * @return the duration
     */
    public static Duration requirePositive(String name, Duration duration) {
        requireNonNull(name, duration);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, was " + duration);
        }
        return duration;
    }

    /**
     * Checks a duration that must be present and not negative.
     *
     * @param name the argument's name
     * @param duration the duration
     * @return the duration
     */
    public static Duration requireNotNegative(String name, Duration duration) {
        requireNonNull(name, duration);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + ": must not be negative, was " + duration);
        }
        return duration;
    }

    /**
     * Checks one header: the name must be neither null nor empty, the value not null. This is the check of
     * metadata as stored; input from outside is held to the stricter {@link InputLimits}.
     *
     * @param name the header's name
     * @param value the header's value
     */
    public static void requireHeader(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("headers: a header name must not be null or empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("headers: the value of header '" + name + "' must not be null");
        }
    }

    /**
     * Checks headers and returns an unmodifiable copy that keeps their insertion order.
     *
     * @param headers the headers; null means none
     * @return an unmodifiable, ordered copy
     */
    public static Map<String, String> copyHeaders(@Nullable Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            requireHeader(name, value);
            copy.put(name, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
