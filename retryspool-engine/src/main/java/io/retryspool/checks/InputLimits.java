package io.retryspool.checks;

import io.retryspool.MessageMetadata;
import io.retryspool.RetrySpool;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The limits on what enters the spool from outside, the same on every store, checked where the input enters
 * (enqueue requests, enqueue transactions, headers a handler sets, an administrator's changes, the names of
 * retry policies) and never when stored metadata is read back, so that messages stored before a limit existed
 * still load.
 *
 * <ul>
 * <li>A header name has 1 to {@value #MAX_HEADER_NAME_LENGTH} characters.</li>
 * <li>All headers of a message together have at most {@value #MAX_HEADERS_BYTES} bytes (64 KiB), counted as
 * the UTF-8 bytes of every name plus every value.</li>
 * <li>An idempotency key has at most {@value #MAX_IDEMPOTENCY_KEY_LENGTH} characters.</li>
 * <li>A retry-policy name has at most {@value #MAX_RETRY_POLICY_NAME_LENGTH} characters; this includes the
 * value of the {@link RetrySpool#RETRY_POLICY_HEADER} header, which names a policy.</li>
 * <li>A destination has at most {@value #MAX_DESTINATION_LENGTH} characters.</li>
 * <li>Header names, header values, idempotency keys, retry-policy names and destinations contain no NUL (U+0000)
 * and no unpaired surrogate: PostgreSQL cannot store NUL in text, and the JDBC drivers would silently turn an
 * unpaired surrogate into {@code ?}, so the same input would read back differently on different stores.</li>
 * <li>{@code notBefore} (and a {@code nextRetry} or {@code created} an administrator sets) lies between
 * 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z inclusive, which PostgreSQL's
 * {@code timestamptz} and SQLite's epoch milliseconds both hold.</li>
 * </ul>
 *
 * Characters are counted as Java counts them ({@link String#length()}, UTF-16 code units). A violation is an
 * {@link IllegalArgumentException} whose message starts with the argument's name, says what is wrong and
 * gives the size of the value, never a long or binary value itself.
 */
public final class InputLimits {

    /** The longest header name, in characters. */
    public static final int MAX_HEADER_NAME_LENGTH = 256;
    /** The most bytes all headers of a message may have together (UTF-8 names plus values): 64 KiB. */
    public static final int MAX_HEADERS_BYTES = 64 * 1024;
    /** The longest idempotency key, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** The longest retry-policy name, in characters. */
    public static final int MAX_RETRY_POLICY_NAME_LENGTH = 128;
    /** The longest destination, in characters. */
    public static final int MAX_DESTINATION_LENGTH = 255;
    /** The longest logical type name of a typed message, in characters. */
    public static final int MAX_MESSAGE_TYPE_LENGTH = 255;
    private static final String EARLIEST_TIME_TEXT = "1970-01-01T00:00:00Z";
    private static final String LATEST_TIME_TEXT = "9999-12-31T23:59:59.999999Z";
    /** The earliest time a message may be scheduled for. */
    public static final Instant EARLIEST_TIME = Instant.parse(EARLIEST_TIME_TEXT);
    /** The latest time a message may be scheduled for. */
    public static final Instant LATEST_TIME = Instant.parse(LATEST_TIME_TEXT);

    private InputLimits() {
    }

    /**
     * Checks one header from outside.
     *
     * @param argument the argument's name for the error message, e.g. {@code headers}
     * @param name the header's name
     * @param value the header's value
     * @return the UTF-8 bytes of name and value together
     */
    public static int requireHeader(String argument, String name, String value) {
        if (name == null) {
            throw new IllegalArgumentException(argument + ": a header name must not be null");
        }
        if (name.isEmpty() || name.length() > MAX_HEADER_NAME_LENGTH) {
            throw new IllegalArgumentException(argument + ": a header name must have 1 to " + MAX_HEADER_NAME_LENGTH
                    + " characters, was " + name.length() + " characters");
        }
        int nameBytes = requireText(argument, "a header name", name);
        if (value == null) {
            throw new IllegalArgumentException(argument + ": the value of header '" + name + "' must not be null");
        }
        int valueBytes = requireText(argument, "the value of header '" + name + "'", value);
        if (RetrySpool.RETRY_POLICY_HEADER.equals(name) && value.length() > MAX_RETRY_POLICY_NAME_LENGTH) {
            throw new IllegalArgumentException(argument + ": the value of header '" + name
                    + "' names a retry policy and must have at most " + MAX_RETRY_POLICY_NAME_LENGTH
                    + " characters, was " + value.length() + " characters");
        }
        return nameBytes + valueBytes;
    }

    /**
     * Checks headers from outside, each and together, and returns an unmodifiable copy in their order.
     *
     * @param argument the argument's name for the error message
     * @param headers the headers; null means none
     * @return an unmodifiable, ordered copy
     */
    public static Map<String, String> requireHeaders(String argument, @Nullable Map<String, String> headers) {
        LimitedHeaders checked = new LimitedHeaders(argument);
        if (headers != null) {
            headers.forEach(checked::put);
        }
        return checked.toMap();
    }

    /**
     * Checks an idempotency key; null means none.
     *
     * @param argument the argument's name
     * @param key the key
     * @return the key
     */
    public static @Nullable String requireIdempotencyKey(String argument, @Nullable String key) {
        return requireName(argument, key, MAX_IDEMPOTENCY_KEY_LENGTH);
    }

    /**
     * Checks the name of a retry policy; null means the default policy.
     *
     * @param argument the argument's name
     * @param name the policy's name
     * @return the name
     */
    public static @Nullable String requireRetryPolicyName(String argument, @Nullable String name) {
        return requireName(argument, name, MAX_RETRY_POLICY_NAME_LENGTH);
    }

    /**
     * Checks a message's destination; null means none.
     *
     * @param argument the argument's name
     * @param destination the destination
     * @return the destination
     */
    public static @Nullable String requireDestination(String argument, @Nullable String destination) {
        return requireName(argument, destination, MAX_DESTINATION_LENGTH);
    }

    /**
     * Checks a typed message's logical type name ({@code x-retryspool-type}): not blank, at most 255 characters,
     * without NUL or an unpaired surrogate.
     *
     * @param argument the argument's name
     * @param name the type name
     * @return the name
     * @throws IllegalArgumentException naming the argument if the name is null or breaks a limit
     */
    public static String requireMessageType(String argument, @Nullable String name) {
        String checked = Arguments.requireNonNull(argument, name);
        requireName(argument, checked, MAX_MESSAGE_TYPE_LENGTH);
        return checked;
    }

    /**
     * Checks a time a message is scheduled for; null means at once.
     *
     * @param argument the argument's name
     * @param time the time
     * @return the time
     */
    public static @Nullable Instant requireTime(String argument, @Nullable Instant time) {
        if (time != null && (time.isBefore(EARLIEST_TIME) || time.isAfter(LATEST_TIME))) {
            throw new IllegalArgumentException(argument + ": must be between " + EARLIEST_TIME_TEXT + " and "
                    + LATEST_TIME_TEXT + ", was " + time);
        }
        return time;
    }

    /**
     * Checks what an administrator's change of a message's metadata brings in: headers, retry-policy name,
     * next-retry and creation times, each only when the change altered it (so that a message stored before
     * these limits can still be changed in other ways).
     *
     * @param argument the argument's name, e.g. {@code change}
     * @param before the metadata before the change
     * @param after the metadata after it
     */
    public static void requireChange(String argument, MessageMetadata before, MessageMetadata after) {
        if (!after.headers().equals(before.headers())) {
            requireHeaders(argument + ": headers", after.headers());
        }
        if (!Objects.equals(after.retryPolicyName(), before.retryPolicyName())) {
            requireRetryPolicyName(argument + ": retryPolicyName", after.retryPolicyName());
        }
        if (!after.nextRetry().equals(before.nextRetry())) {
            requireTime(argument + ": nextRetry", after.nextRetry());
        }
        if (!after.created().equals(before.created())) {
            requireTime(argument + ": created", after.created());
        }
    }

    /**
     * Returns the length of a text in UTF-8; an unpaired surrogate counts as the one byte a driver writes for it.
     *
     * @param text the text
     * @return its UTF-8 length in bytes
     */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static @Nullable String requireName(String argument, @Nullable String name, int maxLength) {
        if (name == null) {
            return null;
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException(argument + ": must not be blank");
        }
        if (name.length() > maxLength) {
            throw new IllegalArgumentException(argument + ": must have at most " + maxLength + " characters, was "
                    + name.length() + " characters");
        }
        requireText(argument, null, name);
        return name;
    }

    /** Rejects NUL and unpaired surrogates; returns the UTF-8 length. */
    private static int requireText(String argument, @Nullable String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException(argument + ": " + (what != null ? what + " " : "")
                        + "must not contain NUL, was " + text.length() + " characters with NUL at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(argument + ": " + (what != null ? what + " " : "")
                        + "must not contain an unpaired surrogate, was " + text.length()
                        + " characters with one at index " + i);
            }
        }
        return utf8Length(text);
    }

    /**
     * Headers collected one at a time (last value wins, first position kept) whose total size is kept within
     * {@link #MAX_HEADERS_BYTES}; a header that breaks a limit is rejected and leaves the collection unchanged.
     * Not thread-safe.
     */
    public static final class LimitedHeaders {
        private final String argument;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private long bytes;

        /**
         * Creates an empty collection.
         *
         * @param argument the argument's name for error messages
         */
        public LimitedHeaders(String argument) {
            this.argument = argument;
        }

        /**
         * Creates a collection that starts from headers already stored, which are not checked again; the
         * total of the stored and the new headers must keep within the limit.
         *
         * @param argument the argument's name for error messages
         * @param stored the headers already stored
         */
        public LimitedHeaders(String argument, Map<String, String> stored) {
            this(argument);
            stored.forEach((name, value) -> {
                headers.put(name, value);
                bytes += utf8Length(name) + utf8Length(value);
            });
        }

        /**
         * Checks a header and sets it.
         *
         * @param name the header's name
         * @param value its value
         */
        public void put(String name, String value) {
            long entry = requireHeader(argument, name, value);
            String previous = headers.get(name);
            long total = bytes + entry - (previous != null ? utf8Length(name) + utf8Length(previous) : 0);
            if (total > MAX_HEADERS_BYTES) {
                throw new IllegalArgumentException(argument + ": must have at most " + MAX_HEADERS_BYTES
                        + " bytes together (UTF-8 names and values), was " + total + " bytes with header '" + name
                        + "'");
            }
            headers.put(name, value);
            bytes = total;
        }

        /**
         * Returns an unmodifiable copy of the headers in their order.
         *
         * @return the copy
         */
        public Map<String, String> toMap() {
            return headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }
}
