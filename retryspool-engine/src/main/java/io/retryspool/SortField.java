package io.retryspool;

/** What {@link RetrySpool#list(QueueState, ListOptions)} orders by; the message id breaks ties. */
public enum SortField {
    /** Enqueue time. */
    CREATED,
    /** Priority. */
    PRIORITY,
    /** Next retry time. */
    NEXT_RETRY,
    /** Last change of the metadata. */
    UPDATED
}
