package io.retryspool.observation;

import java.util.Locale;

/** What became of a message after one handler run, the {@code retryspool.outcome} key value of a delivery. */
public enum DeliveryOutcome {
    /** The handler returned: the message is delivered (or, after a bounce handler, its bounce is done). */
    DELIVERED,
    /** The handler failed and the message is tried again later. */
    RETRY,
    /** The delivery failed for good (permanently, or out of attempts or lifetime): the message bounces. */
    BOUNCE,
    /** The spool stopped and interrupted the handler: the message goes back without counting the attempt. */
    RELEASED,
    /** The handler returned after its attempt had timed out: the spool had already counted it as failed. */
    TIMED_OUT;

    /**
     * Returns the key value: the name in lower case with dashes ({@code delivered}, {@code timed-out}).
     *
     * @return the key value
     */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
