package io.retryspool;

import java.util.Locale;

/**
 * What a delivery attempt led to, as {@link SpoolListener#processed} reports it and the {@code outcome} tag of the
 * {@code retryspool.processed} counter names it. Whether the message is then deleted or kept as ARCHIVED is not an
 * outcome: a delivery is {@link #DELIVERED} and a bounce {@link #BOUNCED} either way.
 */
public enum ProcessingOutcome {
    /** Delivered: the handler succeeded (the message is then deleted, or ARCHIVED with {@code archive.success}). */
    DELIVERED,
    /** Failed and deferred for a retry. */
    DEFERRED,
    /**
     * Failed for good (or no handler took it) and moved to BOUNCE, where the bounce handlers take it (and then delete
     * it, or keep it as ARCHIVED with {@code archive.bounce}).
     */
    BOUNCED;

    /**
     * Returns the outcome's lower-case name, as metrics tag it.
     *
     * @return for example {@code deferred}
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
