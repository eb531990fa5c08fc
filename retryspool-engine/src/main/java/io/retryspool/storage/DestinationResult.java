package io.retryspool.storage;

import io.retryspool.checks.InputLimits;

import java.util.Objects;

/**
 * What one finished delivery attempt tells about its destination: it succeeded (the message was delivered) or it
 * failed in a way that may be the destination's fault (a retryable failure, a timeout, a lease that expired). A
 * permanent failure tells nothing about the destination and is not reported.
 *
 * @param destination the message's destination
 * @param success true if the attempt delivered the message
 */
public record DestinationResult(String destination, boolean success) {

    /** Creates a result, checking the destination. */
    public DestinationResult {
        Objects.requireNonNull(destination, "destination");
        InputLimits.requireDestination("destination", destination);
    }
}
