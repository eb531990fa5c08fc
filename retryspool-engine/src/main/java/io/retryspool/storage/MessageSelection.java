package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.checks.Arguments;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The messages of one state that a bulk operation or a filtered listing reads ({@link MetaStore#countMatching},
 * {@link MetaStore#moveMatching}, {@link MetaStore#deleteMatching}, {@link MetaStore#listMatching}): a
 * {@link io.retryspool.MessageFilter} resolved for one state and one moment. {@link #matches} is the reference every
 * store agrees with.
 *
 * @param state the state the messages are in; never ACTIVE for the bulk writes
 * @param headers headers each message must carry with exactly these values (empty for none)
 * @param createdBefore messages must have been created before this instant, or null for any age
 * @param errorContains text the last error must contain, ASCII letters compared without case, or null for any
 * @param destination the destination each message must have, compared exactly, or null for any (or none)
 */
public record MessageSelection(QueueState state, Map<String, String> headers, @Nullable Instant createdBefore,
                               @Nullable String errorContains, @Nullable String destination) {

    /** Creates a selection, checking its components and copying the headers. */
    public MessageSelection {
        Arguments.requireNonNull("state", state);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Arguments.requireNonNull("headers", headers)));
        if (errorContains != null && errorContains.isEmpty()) {
            throw new IllegalArgumentException("errorContains: must not be empty");
        }
    }

    /**
     * A selection of every message in a state.
     *
     * @param state the state
     * @return the selection
     */
    public static MessageSelection allIn(QueueState state) {
        return new MessageSelection(state, Map.of(), null, null, null);
    }

    /**
     * Tells whether a message is in the selection's range: in its state and old enough. The bulk operations walk
     * this range in batches and check the other criteria on the messages found there.
     *
     * @param metadata the message
     * @return true if it is in the state and was created before {@link #createdBefore}, if given
     */
    public boolean inRange(MessageMetadata metadata) {
        return metadata.state() == state && (createdBefore == null || metadata.created().isBefore(createdBefore));
    }

    /**
     * Tells whether a message belongs to the selection.
     *
     * @param metadata the message
     * @return true if it is in the range ({@link #inRange}) and meets every other criterion
     */
    public boolean matches(MessageMetadata metadata) {
        if (!inRange(metadata)) {
            return false;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!header.getValue().equals(metadata.headers().get(header.getKey()))) {
                return false;
            }
        }
        if (destination != null && !destination.equals(metadata.destination())) {
            return false;
        }
        return errorContains == null || metadata.lastError() != null
                && foldAsciiCase(metadata.lastError()).contains(foldAsciiCase(errorContains));
    }

    /**
     * Lowers the ASCII letters A to Z and leaves every other character as it is: the case folding of
     * {@link #errorContains}, which SQLite's {@code lower()} applies as well.
     *
     * @param text the text
     * @return the text with A to Z lowered
     */
    public static String foldAsciiCase(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof MessageSelection that && state == that.state && headers.equals(that.headers)
                && Objects.equals(createdBefore, that.createdBefore)
                && Objects.equals(errorContains, that.errorContains) && Objects.equals(destination, that.destination);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, headers, createdBefore, errorContains, destination);
    }
}
