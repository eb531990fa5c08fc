package io.retryspool;

import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link RetrySpool#enqueue(EnqueueRequest)} needs for one message: headers, body and the
 * optional per-message settings (priority, retry policy, attempts, delayed delivery, idempotency key, destination).
 * A request whose body is an {@link InputStream} can be enqueued once. Instead of a body a request may carry a
 * payload object, which the spool writes as JSON with the headers of a typed message (see {@link MessageTypes}).
 *
 * <p>Input limits, the same on every store, are checked as each value is set, so a request that breaks one is
 * never built and nothing of it is stored: header names have 1 to 256 characters; all headers together have at
 * most 64 KiB, counted as the UTF-8 bytes of every name plus every value; the idempotency key has at most 255
 * characters, the retry-policy name (also when given as the {@code x-retry-policy} header) at most 128 and the
 * destination at most 255; none of these contains NUL or an unpaired surrogate; {@code notBefore} lies between
 * 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z. Characters are counted as {@link String#length()} counts
 * them. A violation is an {@link IllegalArgumentException} whose message starts with the setter's name
 * ({@code headers}, {@code idempotencyKey}, {@code retryPolicy}, {@code notBefore}, {@code destination}).
 */
public final class EnqueueRequest {

    private final Map<String, String> headers;
    private final byte @Nullable [] bodyBytes;
    private final @Nullable InputStream bodyStream;
    private final @Nullable Object payload;
    private final @Nullable Integer priority;
    private final @Nullable String retryPolicy;
    private final @Nullable Integer maxAttempts;
    private final @Nullable Instant notBefore;
    private final @Nullable String idempotencyKey;
    private final @Nullable String destination;

    private EnqueueRequest(Builder builder) {
        this.headers = builder.headers.toMap();
        this.bodyBytes = builder.bodyBytes;
        this.bodyStream = builder.bodyStream;
        this.payload = builder.payload;
        this.priority = builder.priority;
        this.retryPolicy = builder.retryPolicy;
        this.maxAttempts = builder.maxAttempts;
        this.notBefore = builder.notBefore;
        this.idempotencyKey = builder.idempotencyKey;
        this.destination = builder.destination;
    }

    /**
     * Returns a builder.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the headers.
     *
     * @return the headers in insertion order
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns a builder that holds this request's values, to make a changed copy.
     *
     * @return a builder with these headers, body or payload and settings
     */
    public Builder toBuilder() {
        Builder builder = new Builder().headers(headers);
        builder.bodyBytes = bodyBytes;
        builder.bodyStream = bodyStream;
        builder.payload = payload;
        builder.priority = priority;
        builder.retryPolicy = retryPolicy;
        builder.maxAttempts = maxAttempts;
        builder.notBefore = notBefore;
        builder.idempotencyKey = idempotencyKey;
        builder.destination = destination;
        return builder;
    }

    /**
     * Returns the payload object the spool writes as JSON.
     *
     * @return the payload, or null when the request has a body
     */
    public @Nullable Object payload() {
        return payload;
    }

    /**
     * Opens the body. For a byte-array body each call gives a fresh stream; a stream body is returned as given.
     *
     * @return the body, or null when the request has a payload instead
     */
    public @Nullable InputStream openBody() {
        return bodyBytes != null ? new ByteArrayInputStream(bodyBytes) : Objects.requireNonNull(bodyStream);
    }

    /**
     * Returns the body when it was given as bytes.
     *
     * @return the bytes, or null when the body is a stream or the request has a payload
     */
    public byte @Nullable [] bodyBytes() {
        return bodyBytes;
    }

    /**
     * Returns the priority.
     *
     * @return 0 to 100, or null for the spool's default
     */
    public @Nullable Integer priority() {
        return priority;
    }

    /**
     * Returns the named retry policy.
     *
     * @return the policy name, or null to use the {@code x-retry-policy} header or the default policy
     */
    public @Nullable String retryPolicy() {
        return retryPolicy;
    }

    /**
     * Returns the maximum number of delivery attempts.
     *
     * @return at least 1, or null for the spool's default
     */
    public @Nullable Integer maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the earliest delivery time.
     *
     * @return the time, or null for at once
     */
    public @Nullable Instant notBefore() {
        return notBefore;
    }

    /**
     * Returns the idempotency key.
     *
     * @return the key, or null
     */
    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * Returns where the message goes.
     *
     * @return the destination, or null for none
     */
    public @Nullable String destination() {
        return destination;
    }

    /** Builds an {@link EnqueueRequest}; every setter returns the builder. */
    public static final class Builder {
        private final InputLimits.LimitedHeaders headers = new InputLimits.LimitedHeaders("headers");
        private byte @Nullable [] bodyBytes;
        private @Nullable InputStream bodyStream;
        private @Nullable Object payload;
        private @Nullable Integer priority;
        private @Nullable String retryPolicy;
        private @Nullable Integer maxAttempts;
        private @Nullable Instant notBefore;
        private @Nullable String idempotencyKey;
        private @Nullable String destination;

        private Builder() {
        }

        /**
         * Sets one header (last value wins).
         *
         * @param name 1 to 256 characters, without NUL
         * @param value a non-null value without NUL; all headers together have at most 64 KiB (UTF-8)
         * @return this builder
         * @throws IllegalArgumentException naming {@code headers} if the header breaks a limit
         */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /**
         * Adds headers in their iteration order.
         *
         * @param headers the headers; null adds none
         * @return this builder
         * @throws IllegalArgumentException naming {@code headers} if a header breaks a limit
         */
        public Builder headers(@Nullable Map<String, String> headers) {
            if (headers != null) {
                headers.forEach(this::header);
            }
            return this;
        }

        /**
         * Sets the body from bytes (the array is not copied; do not change it afterwards).
         *
         * @param body the body, possibly empty
         * @return this builder
         */
        public Builder body(byte[] body) {
            this.bodyBytes = Arguments.requireNonNull("body", body);
            this.bodyStream = null;
            this.payload = null;
            return this;
        }

        /**
         * Sets the body from a stream, which the spool reads to its end without buffering it whole
         * and does not close.
         *
         * @param body the body
         * @return this builder
         */
        public Builder body(InputStream body) {
            this.bodyStream = Arguments.requireNonNull("body", body);
            this.bodyBytes = null;
            this.payload = null;
            return this;
        }

        /**
         * Sets a payload object instead of a body. The spool writes it as JSON with its JSON mapper (in Spring Boot
         * the application's) and sets the headers {@value MessageTypes#CONTENT_TYPE_HEADER}:
         * {@value MessageTypes#JSON} and {@value MessageTypes#TYPE_HEADER}: the payload type's logical name
         * ({@link MessageTypes#nameOf(Class)}), replacing headers of those names set here.
         *
         * @param payload the payload, an object the JSON mapper can write
         * @return this builder
         * @throws IllegalArgumentException naming {@code payload} if it is null or its type has no usable name
         */
        public Builder payload(Object payload) {
            Arguments.requireNonNull("payload", payload);
            try {
                MessageTypes.nameOf(payload.getClass());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("payload: " + e.getMessage(), e);
            }
            this.payload = payload;
            this.bodyBytes = null;
            this.bodyStream = null;
            return this;
        }

        /**
         * Sets the priority.
         *
         * @param priority 0 to 100, higher is delivered first
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = Arguments.requirePriority("priority", priority);
            return this;
        }

        /**
         * Chooses a named retry policy (an unknown name falls back to the default policy).
         *
         * @param name the policy's name: not blank, at most 128 characters, without NUL; null for none
         * @return this builder
         */
        public Builder retryPolicy(@Nullable String name) {
            this.retryPolicy = InputLimits.requireRetryPolicyName("retryPolicy", name);
            return this;
        }

        /**
         * Sets how many delivery attempts the message may have.
         *
         * @param maxAttempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Arguments.requirePositive("maxAttempts", maxAttempts);
            return this;
        }

        /**
         * Delays the first delivery until this time.
         *
         * @param notBefore the earliest delivery time, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z;
         *     null for at once
         * @return this builder
         */
        public Builder notBefore(@Nullable Instant notBefore) {
            this.notBefore = InputLimits.requireTime("notBefore", notBefore);
            return this;
        }

        /**
         * Sets an idempotency key: while a message with this key exists, enqueueing another request
         * with the same key stores nothing and returns the existing message's id.
         *
         * @param key a non-blank key of at most 255 characters, without NUL; null for none
         * @return this builder
         */
        public Builder idempotencyKey(@Nullable String key) {
            this.idempotencyKey = InputLimits.requireIdempotencyKey("idempotencyKey", key);
            return this;
        }

        /**
         * Names where the message goes, such as a recipient's mail domain or an endpoint's host. The destination
         * is stored with the message and cannot be changed afterwards.
         *
         * @param destination a non-blank destination of at most 255 characters, without NUL; null for none
         * @return this builder
         */
        public Builder destination(@Nullable String destination) {
            this.destination = InputLimits.requireDestination("destination", destination);
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws IllegalArgumentException if neither a body nor a payload was set
         */
        public EnqueueRequest build() {
            if (bodyBytes == null && bodyStream == null && payload == null) {
                throw new IllegalArgumentException("body: must not be null (set a body or a payload)");
            }
            return new EnqueueRequest(this);
        }
    }
}
