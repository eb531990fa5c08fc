package io.retryspool;

import io.retryspool.internal.Arguments;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything {@link RetrySpool#enqueue(EnqueueRequest)} needs for one message: headers, body and the
 * optional per-message settings (priority, retry policy, attempts, delayed delivery, idempotency key).
 * A request whose body is an {@link InputStream} can be enqueued once.
 */
public final class EnqueueRequest {

    private final Map<String, String> headers;
    private final byte[] bodyBytes;
    private final InputStream bodyStream;
    private final Integer priority;
    private final String retryPolicy;
    private final Integer maxAttempts;
    private final Instant notBefore;
    private final String idempotencyKey;

    private EnqueueRequest(Builder builder) {
        this.headers = Arguments.copyHeaders(builder.headers);
        this.bodyBytes = builder.bodyBytes;
        this.bodyStream = builder.bodyStream;
        this.priority = builder.priority;
        this.retryPolicy = builder.retryPolicy;
        this.maxAttempts = builder.maxAttempts;
        this.notBefore = builder.notBefore;
        this.idempotencyKey = builder.idempotencyKey;
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
     * Opens the body. For a byte-array body each call gives a fresh stream; a stream body is returned as given.
     *
     * @return the body
     */
    public InputStream openBody() {
        return bodyBytes != null ? new ByteArrayInputStream(bodyBytes) : bodyStream;
    }

    /**
     * Returns the body when it was given as bytes.
     *
     * @return the bytes, or null when the body is a stream
     */
    public byte[] bodyBytes() {
        return bodyBytes;
    }

    /**
     * Returns the priority.
     *
     * @return 0 to 100, or null for the spool's default
     */
    public Integer priority() {
        return priority;
    }

    /**
     * Returns the named retry policy.
     *
     * @return the policy name, or null to use the {@code x-retry-policy} header or the default policy
     */
    public String retryPolicy() {
        return retryPolicy;
    }

    /**
     * Returns the maximum number of delivery attempts.
     *
     * @return at least 1, or null for the spool's default
     */
    public Integer maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the earliest delivery time.
     *
     * @return the time, or null for at once
     */
    public Instant notBefore() {
        return notBefore;
    }

    /**
     * Returns the idempotency key.
     *
     * @return the key, or null
     */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** Builds an {@link EnqueueRequest}; every setter returns the builder. */
    public static final class Builder {
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] bodyBytes;
        private InputStream bodyStream;
        private Integer priority;
        private String retryPolicy;
        private Integer maxAttempts;
        private Instant notBefore;
        private String idempotencyKey;

        private Builder() {
        }

        /**
         * Sets one header.
         *
         * @param name a non-empty name
         * @param value a non-null value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Arguments.requireHeader(name, value);
            headers.put(name, value);
            return this;
        }

        /**
         * Adds headers in their iteration order.
         *
         * @param headers the headers; null adds none
         * @return this builder
         */
        public Builder headers(Map<String, String> headers) {
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
         * @param name the policy's name
         * @return this builder
         */
        public Builder retryPolicy(String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("retryPolicy: must not be blank");
            }
            this.retryPolicy = name;
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
         * @param notBefore the earliest delivery time
         * @return this builder
         */
        public Builder notBefore(Instant notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        /**
         * Sets an idempotency key: while a message with this key exists, enqueueing another request
         * with the same key stores nothing and returns the existing message's id.
         *
         * @param key a non-blank key
         * @return this builder
         */
        public Builder idempotencyKey(String key) {
            if (key != null && key.isBlank()) {
                throw new IllegalArgumentException("idempotencyKey: must not be blank");
            }
            this.idempotencyKey = key;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws IllegalArgumentException if no body was set
         */
        public EnqueueRequest build() {
            if (bodyBytes == null && bodyStream == null) {
                throw new IllegalArgumentException("body: must not be null");
            }
            return new EnqueueRequest(this);
        }
    }
}
