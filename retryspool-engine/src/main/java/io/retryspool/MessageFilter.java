package io.retryspool;

import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which messages a bulk verb ({@link RetrySpool#moveAll}, {@link RetrySpool#deleteAll}),
 * {@link RetrySpool#count(MessageFilter)} or a filtered listing ({@link RetrySpool#list(MessageFilter, ListOptions)})
 * acts on. Immutable; every criterion is optional and all given ones must hold (AND). A filter without criteria matches
 * every message.
 * <ul>
 * <li>{@link Builder#state state}: the message is in this state;</li>
 * <li>{@link Builder#headerEquals headerEquals} (repeatable, one value per name): the header is present with exactly
 * this value (names and values compare case-sensitively);</li>
 * <li>{@link Builder#olderThan olderThan}: the message was created more than this long ago ({@code created} before
 * now minus the duration; a release or requeue does not make a message younger);</li>
 * <li>{@link Builder#errorContains errorContains}: its {@code lastError} contains this text, ignoring case for the
 * ASCII letters A to Z only (so {@code "refused"} finds {@code "Connection REFUSED"}, while {@code "é"} does not
 * find {@code "É"}); every store compares the same way. {@code %} and {@code _} are plain characters. A message
 * without a last error never matches;</li>
 * <li>{@link Builder#destination destination}: the message's {@link MessageMetadata#destination() destination} is
 * exactly this one (compared case-sensitively); a message without a destination never matches.</li>
 * </ul>
 */
public final class MessageFilter {

    private final @Nullable QueueState state;
    private final Map<String, String> headers;
    private final @Nullable Duration olderThan;
    private final @Nullable String errorContains;
    private final @Nullable String destination;

    private MessageFilter(Builder builder) {
        this.state = builder.state;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
        this.olderThan = builder.olderThan;
        this.errorContains = builder.errorContains;
        this.destination = builder.destination;
    }

    /**
     * Returns a builder for a filter; without criteria it matches every message.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the state a message must be in.
     *
     * @return the state, or empty for any state
     */
    public Optional<QueueState> state() {
        return Optional.ofNullable(state);
    }

    /**
     * Returns the headers a message must carry, each with exactly the given value.
     *
     * @return an unmodifiable map in the order the criteria were given; empty for no header criterion
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns how long ago a message must at least have been created.
     *
     * @return the age, or empty for any age
     */
    public Optional<Duration> olderThan() {
        return Optional.ofNullable(olderThan);
    }

    /**
     * Returns the text a message's last error must contain (ASCII letters compared without case).
     *
     * @return the text, or empty for any error (or none)
     */
    public Optional<String> errorContains() {
        return Optional.ofNullable(errorContains);
    }

    /**
     * Returns the destination a message must have, compared exactly.
     *
     * @return the destination, or empty for any destination (or none)
     */
    public Optional<String> destination() {
        return Optional.ofNullable(destination);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof MessageFilter that && state == that.state && headers.equals(that.headers)
                && Objects.equals(olderThan, that.olderThan)
                && Objects.equals(errorContains, that.errorContains)
                && Objects.equals(destination, that.destination);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, headers, olderThan, errorContains, destination);
    }

    /**
     * Describes the criteria, e.g. {@code MessageFilter[state=DEFERRED, header to="alice", olderThan=PT1H,
     * errorContains="refused", destination="example.com"]}, or {@code MessageFilter[all messages]} without criteria.
     */
    @Override
    public String toString() {
        List<String> criteria = new ArrayList<>();
        if (state != null) {
            criteria.add("state=" + state);
        }
        headers.forEach((name, value) -> criteria.add("header " + name + "=\"" + value + "\""));
        if (olderThan != null) {
            criteria.add("olderThan=" + olderThan);
        }
        if (errorContains != null) {
            criteria.add("errorContains=\"" + errorContains + "\"");
        }
        if (destination != null) {
            criteria.add("destination=\"" + destination + "\"");
        }
        return "MessageFilter[" + (criteria.isEmpty() ? "all messages" : String.join(", ", criteria)) + "]";
    }

    /** Builds a {@link MessageFilter}; every setter checks its arguments at once and returns the builder. */
    public static final class Builder {

        private @Nullable QueueState state;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private @Nullable Duration olderThan;
        private @Nullable String errorContains;
        private @Nullable String destination;

        private Builder() {
        }

        /**
         * Matches only messages in this state.
         *
         * @param state the state
         * @return this builder
         */
        public Builder state(QueueState state) {
            this.state = Arguments.requireNonNull("state", state);
            return this;
        }

        /**
         * Matches only messages that carry this header with exactly this value. Repeatable for other names.
         *
         * @param name the header's name: not blank, at most 256 characters, without NUL, not given before
         * @param value the value: not null, without NUL
         * @return this builder
         */
        public Builder headerEquals(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name: must not be null or blank");
            }
            if (headers.containsKey(name)) {
                throw new IllegalArgumentException("name: header '" + name + "' already has a criterion (value \""
                        + headers.get(name) + "\"); a header has one value");
            }
            InputLimits.requireHeader("headerEquals", name, value);
            headers.put(name, value);
            return this;
        }

        /**
         * Matches only messages created more than {@code age} ago.
         *
         * @param age zero or more
         * @return this builder
         */
        public Builder olderThan(Duration age) {
            this.olderThan = Arguments.requireNotNegative("age", age);
            return this;
        }

        /**
         * Matches only messages whose last error contains {@code text}, ignoring the case of ASCII letters.
         *
         * @param text not empty, without NUL
         * @return this builder
         */
        public Builder errorContains(String text) {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("text: must not be null or empty");
            }
            int nul = text.indexOf('\0');
            if (nul >= 0) {
                throw new IllegalArgumentException("text: must not contain NUL, was " + text.length()
                        + " characters with NUL at index " + nul);
            }
            this.errorContains = text;
            return this;
        }

        /**
         * Matches only messages with exactly this destination ({@link EnqueueRequest.Builder#destination}), compared
         * case-sensitively.
         *
         * @param destination not blank, at most 255 characters, without NUL
         * @return this builder
         */
        public Builder destination(String destination) {
            this.destination = InputLimits.requireDestination("destination",
                    Arguments.requireNonNull("destination", destination));
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         */
        public MessageFilter build() {
            return new MessageFilter(this);
        }
    }
}
