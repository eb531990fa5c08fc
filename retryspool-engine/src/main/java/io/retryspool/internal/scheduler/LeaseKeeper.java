package io.retryspool.internal.scheduler;

import io.retryspool.storage.Claim;
import io.retryspool.storage.MetaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * Renews the leases of the claims in flight (running, waiting briefly for a worker, or waiting for their outcome
 * to be stored), so that a long-running handler keeps its message. Claims that no longer need a lease (given back,
 * timed out, stored) have left {@link InFlightClaims}, so a hung handler's claim is not renewed past its attempt
 * timeout.
 */
final class LeaseKeeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final MetaStore metaStore;
    private final InFlightClaims inFlight;
    private final Duration leaseTimeout;
    private final Clock clock;

    LeaseKeeper(MetaStore metaStore, InFlightClaims inFlight, Duration leaseTimeout, Clock clock) {
        this.metaStore = metaStore;
        this.inFlight = inFlight;
        this.leaseTimeout = leaseTimeout;
        this.clock = clock;
    }

    /** How often leases are renewed: a third of the lease, so two renewals may fail before one expires. */
    static Duration renewInterval(Duration leaseTimeout) {
        return leaseTimeout.dividedBy(3);
    }

    @Override
    public void run() {
        Collection<Claim> claims = inFlight.snapshot();
        if (claims.isEmpty()) {
            return;
        }
        Set<String> lost = metaStore.renewLeases(claims, clock.instant(), leaseTimeout);
        if (!lost.isEmpty()) {
            log.warn("Lost the leases of {} message(s) still being processed: {}; their outcomes will be discarded",
                    lost.size(), lost);
        }
    }
}
