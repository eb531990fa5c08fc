package io.retryspool;

import io.retryspool.checks.Arguments;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The metadata of one message: everything the spool knows about it except its body.
 * Immutable; use {@link #toBuilder()} or the {@code with...} methods to derive a changed copy.
 *
 * @param id the message id
 * @param state the queue the message is in
 * @param attempts how many delivery attempts were made (bounce-handler runs are not counted)
 * @param maxAttempts how many delivery attempts the message may have before it bounces
 * @param nextRetry when the message is next due (for INCOMING and DEFERRED) or due for the bounce handlers (BOUNCE)
 * @param created when it was enqueued
 * @param updated when its metadata last changed
 * @param lastError the class and message of the last delivery failure, or null
 * @param size the body's size in bytes, before any codec
 * @param priority 0 to 100, higher is delivered first
 * @param headers the message's headers, in insertion order
 * @param retryPolicyName the named retry policy chosen for this message, or null for the default
 * @param archivedAs why the spool archived the message (delivered, or bounced), or null when it is not ARCHIVED or
 *                   was archived otherwise (moved there by an operator, or archived before the stores kept the reason)
 * @param destination where the message goes (a recipient's mail domain, an endpoint's host), fixed at enqueue, or null
 *                    for none
 */
public record MessageMetadata(
        String id,
        QueueState state,
        int attempts,
        int maxAttempts,
        Instant nextRetry,
        Instant created,
        Instant updated,
        @Nullable String lastError,
        long size,
        int priority,
        Map<String, String> headers,
        @Nullable String retryPolicyName,
        @Nullable ArchiveReason archivedAs,
        @Nullable String destination) {

    /** The lowest priority. */
    public static final int MIN_PRIORITY = 0;
    /** The highest priority. */
    public static final int MAX_PRIORITY = 100;
    /** The priority a message gets when nothing else is said. */
    public static final int DEFAULT_PRIORITY = 5;

    /**
     * Creates metadata, checking every field.
     *
     * @throws IllegalArgumentException naming the first field that is missing or out of range
     */
    public MessageMetadata {
        Arguments.requireId("id", id);
        Arguments.requireNonNull("state", state);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: must not be negative, was " + attempts);
        }
        Arguments.requirePositive("maxAttempts", maxAttempts);
        Arguments.requireNonNull("nextRetry", nextRetry);
        Arguments.requireNonNull("created", created);
        Arguments.requireNonNull("updated", updated);
        if (size < 0) {
            throw new IllegalArgumentException("size: must not be negative, was " + size);
        }
        Arguments.requirePriority("priority", priority);
        headers = Arguments.copyHeaders(headers);
        if (archivedAs != null && state != QueueState.ARCHIVED) {
            throw new IllegalArgumentException("archivedAs: only an ARCHIVED message has an archive reason; message "
                    + id + " is " + state + " with archivedAs " + archivedAs);
        }
    }

    /**
     * Returns a builder for new metadata.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this metadata's values.
     *
     * @return a builder to derive changed metadata from
     */
    public Builder toBuilder() {
        return new Builder()
                .id(id).state(state).attempts(attempts).maxAttempts(maxAttempts).nextRetry(nextRetry)
                .created(created).updated(updated).lastError(lastError).size(size).priority(priority)
                .headers(headers).retryPolicyName(retryPolicyName).archivedAs(archivedAs).destination(destination);
    }

    /**
     * Returns a copy in another state.
     *
     * @param state the new state
     * @return the changed copy
     */
    public MessageMetadata withState(QueueState state) {
        return toBuilder().state(state).build();
    }

    /**
     * Returns a copy with another next-retry time.
     *
     * @param nextRetry the new time
     * @return the changed copy
     */
    public MessageMetadata withNextRetry(Instant nextRetry) {
        return toBuilder().nextRetry(nextRetry).build();
    }

    /**
     * Returns a copy with another update time.
     *
     * @param updated the new time
     * @return the changed copy
     */
    public MessageMetadata withUpdated(Instant updated) {
        return toBuilder().updated(updated).build();
    }

    /**
     * Returns a copy with another priority.
     *
     * @param priority 0 to 100
     * @return the changed copy
     */
    public MessageMetadata withPriority(int priority) {
        return toBuilder().priority(priority).build();
    }

    /**
     * Returns a copy with another maximum number of attempts.
     *
     * @param maxAttempts at least 1
     * @return the changed copy
     */
    public MessageMetadata withMaxAttempts(int maxAttempts) {
        return toBuilder().maxAttempts(maxAttempts).build();
    }

    /**
     * Returns a copy with one header set (added, or replaced in place).
     *
     * @param name the header's name
     * @param value its value
     * @return the changed copy
     */
    public MessageMetadata withHeader(String name, String value) {
        return toBuilder().header(name, value).build();
    }

    /**
     * Returns a copy with all headers replaced.
     *
     * @param headers the new headers
     * @return the changed copy
     */
    public MessageMetadata withHeaders(Map<String, String> headers) {
        return toBuilder().clearHeaders().headers(headers).build();
    }

    /**
     * Returns a copy with another retry policy name.
     *
     * @param retryPolicyName the policy's name, or null for the default policy
     * @return the changed copy
     */
    public MessageMetadata withRetryPolicyName(@Nullable String retryPolicyName) {
        return toBuilder().retryPolicyName(retryPolicyName).build();
    }

    /** Builds {@link MessageMetadata}; every setter returns the builder. */
    public static final class Builder {
        private @Nullable String id;
        private QueueState state = QueueState.INCOMING;
        private int attempts;
        private int maxAttempts = 10;
        private @Nullable Instant nextRetry;
        private @Nullable Instant created;
        private @Nullable Instant updated;
        private @Nullable String lastError;
        private long size;
        private int priority = DEFAULT_PRIORITY;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private @Nullable String retryPolicyName;
        private @Nullable ArchiveReason archivedAs;
        private @Nullable String destination;

        private Builder() {
        }

        /**
         * Sets the message id.
         *
         * @param id the message id
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * Sets the state.
         *
         * @param state the state
         * @return this builder
         */
        public Builder state(QueueState state) {
            this.state = state;
            return this;
        }

        /**
         * Sets delivery attempts made.
         *
         * @param attempts delivery attempts made
         * @return this builder
         */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /**
         * Sets attempts allowed.
         *
         * @param maxAttempts attempts allowed
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets when the message is next due.
         *
         * @param nextRetry when the message is next due
         * @return this builder
         */
        public Builder nextRetry(Instant nextRetry) {
            this.nextRetry = nextRetry;
            return this;
        }

        /**
         * Sets when it was enqueued.
         *
         * @param created when it was enqueued
         * @return this builder
         */
        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        /**
         * Sets when it last changed.
         *
         * @param updated when it last changed
         * @return this builder
         */
        public Builder updated(Instant updated) {
            this.updated = updated;
            return this;
        }

        /**
         * Sets the last delivery failure, or null.
         *
         * @param lastError the last delivery failure, or null
         * @return this builder
         */
        public Builder lastError(@Nullable String lastError) {
            this.lastError = lastError;
            return this;
        }

        /**
         * Sets body bytes.
         *
         * @param size body bytes
         * @return this builder
         */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /**
         * Sets 0 to 100.
         *
         * @param priority 0 to 100
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * Sets one header, keeping the position of an existing one.
         *
         * @param name the header's name
         * @param value its value
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
         * @param headers headers to add; null adds none
         * @return this builder
         */
        public Builder headers(@Nullable Map<String, String> headers) {
            if (headers != null) {
                headers.forEach(this::header);
            }
            return this;
        }

        /**
         * Removes every header.
         *
         * @return this builder
         */
        public Builder clearHeaders() {
            headers.clear();
            return this;
        }

        /**
         * Sets a named policy, or null.
         *
         * @param retryPolicyName a named policy, or null
         * @return this builder
         */
        public Builder retryPolicyName(@Nullable String retryPolicyName) {
            this.retryPolicyName = retryPolicyName;
            return this;
        }

        /**
         * Sets why the spool archived the message, or null; non-null only for an ARCHIVED message.
         *
         * @param archivedAs why the spool archived the message, or null
         * @return this builder
         */
        public Builder archivedAs(@Nullable ArchiveReason archivedAs) {
            this.archivedAs = archivedAs;
            return this;
        }

        /**
         * Sets where the message goes, or null.
         *
         * @param destination where the message goes, or null
         * @return this builder
         */
        public Builder destination(@Nullable String destination) {
            this.destination = destination;
            return this;
        }

        /**
         * Builds the metadata. When {@code created} is unset it fails; unset {@code updated} and
         * {@code nextRetry} default to {@code created}.
         *
         * @return the metadata
         */
        public MessageMetadata build() {
            Instant createdAt = Arguments.requireNonNull("created", created);
            return new MessageMetadata(Arguments.requireId("id", id), state, attempts, maxAttempts,
                    nextRetry != null ? nextRetry : createdAt, createdAt,
                    updated != null ? updated : createdAt, lastError, size, priority, headers, retryPolicyName,
                    archivedAs, destination);
        }
    }
}
