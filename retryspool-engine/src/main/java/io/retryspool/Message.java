package io.retryspool;

import java.util.Objects;

/**
 * A message in the spool: its id and its metadata. The body is read separately with
 * {@link RetrySpool#openBody(String)} or handed to a handler as a {@link MessageBody}.
 *
 * @param id the message id
 * @param metadata the message's metadata; its {@link MessageMetadata#id()} equals {@code id}
 */
public record Message(String id, MessageMetadata metadata) {

    /**
     * Creates a message.
     *
     * @throws IllegalArgumentException if the id is blank or differs from the metadata's id
     */
    public Message {
        Objects.requireNonNull(metadata, "metadata");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id: must not be null or blank");
        }
        if (!id.equals(metadata.id())) {
            throw new IllegalArgumentException("id: '" + id + "' differs from metadata id '" + metadata.id() + "'");
        }
    }

    /**
     * Creates a message from its metadata.
     *
     * @param metadata the metadata
     * @return a message with the metadata's id
     */
    public static Message of(MessageMetadata metadata) {
        return new Message(metadata.id(), metadata);
    }
}
