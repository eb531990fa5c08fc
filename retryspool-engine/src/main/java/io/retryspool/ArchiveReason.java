package io.retryspool;

/**
 * Why the spool kept a message as ARCHIVED, as {@link MessageMetadata#archivedAs()} tells it. The stores keep the
 * constant's name.
 */
public enum ArchiveReason {
    /** A delivery handler succeeded, and {@code archive.success} kept the message. */
    DELIVERED,
    /** The message bounced, its bounce handler succeeded, and {@code archive.bounce} kept it. */
    BOUNCED
}
