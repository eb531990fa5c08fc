package io.retryspool.internal.scheduler;

import io.retryspool.storage.Claim;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The claims this instance holds right now, whose leases it keeps renewing. */
public final class InFlightClaims {

    private final Map<String, Claim> claims = new ConcurrentHashMap<>();

    /**
     * Starts tracking a claim.
     *
     * @param claim the claim
     */
    public void add(Claim claim) {
        claims.put(claim.token(), claim);
    }

    /**
     * Stops tracking a claim.
     *
     * @param claim the claim
     */
    public void remove(Claim claim) {
        claims.remove(claim.token());
    }

    /**
     * Returns the claims held now.
     *
     * @return a snapshot
     */
    public Collection<Claim> snapshot() {
        return List.copyOf(claims.values());
    }
}
