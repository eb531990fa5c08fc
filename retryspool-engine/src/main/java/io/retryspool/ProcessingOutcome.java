package io.retryspool;

import java.util.Locale;

/** What a delivery attempt led to, as {@link SpoolListener#processed} reports it. */
public enum ProcessingOutcome {
    /** Delivered and deleted. */
    SUCCESS,
    /** Delivered and kept as ARCHIVED. */
    ARCHIVED,
    /** Failed and deferred for a retry. */
    DEFERRED,
    /** Failed for good (or no handler took it) and moved to BOUNCE. */
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
