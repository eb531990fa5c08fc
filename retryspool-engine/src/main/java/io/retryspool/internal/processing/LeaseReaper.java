package io.retryspool.internal.processing;

import io.retryspool.SpoolListener;
import io.retryspool.internal.RepeatedFailures;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
import io.retryspool.storage.MetaStore;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Settles claims whose lease expired: their worker stopped renewing it (its process died, hung without renewing,
 * or lost the database), so the attempt failed. Each becomes what {@link OutcomeDecider#leaseExpired} decides: a
 * delivery attempt is deferred per the message's policy, or bounced when its attempts or lifetime are used up, so
 * a message that kills its process every time is bounced after its last attempt instead of looping forever. The
 * outcome is written only where the claim is unchanged and its lease still expired, so a late renewal wins and two
 * instances settling at once write it once. Runs on every instance; pages through the expired claims. An expired
 * delivery attempt on a message with a destination counts as a failure of the destination: the failures of the
 * claims a page settled (not those settled elsewhere first) are recorded in one call, best effort.
 */
public final class LeaseReaper {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int PAGE = 200;

    private final MetaStore metaStore;
    private final OutcomeDecider decider;
    private final SpoolListener listener;
    private final DestinationPolicy destinations;
    private final RepeatedFailures recordFailures = new RepeatedFailures(log,
            "Recording the expired attempts' failures for their destinations",
            "those failures are not counted towards suspending the destinations");

    /**
     * Creates a reaper.
     *
     * @param metaStore where the claims are
     * @param decider decides what an expired claim becomes
     * @param listener hears the outcomes of expired delivery attempts
     * @param destinations the policy that the failures of expired attempts are recorded under
     */
    public LeaseReaper(MetaStore metaStore, OutcomeDecider decider, SpoolListener listener,
                       DestinationPolicy destinations) {
        this.metaStore = metaStore;
        this.decider = decider;
        this.listener = listener;
        this.destinations = destinations;
    }

    /**
     * Settles every claim whose lease has expired by now.
     *
     * @param now the current time
     * @return how many claims this call settled
     */
    public int reap(Instant now) {
        int settled = 0;
        while (true) {
            List<Claim> expired = metaStore.expiredLeases(now, PAGE);
            if (expired.isEmpty()) {
                return settled;
            }
            List<ClaimOutcome> outcomes = expired.stream().map(claim -> decider.leaseExpired(claim, now)).toList();
            Set<String> stale = metaStore.settleExpiredLeases(outcomes, now);
            List<DestinationResult> results = new ArrayList<>();
            for (int i = 0; i < expired.size(); i++) {
                Claim claim = expired.get(i);
                ClaimOutcome outcome = outcomes.get(i);
                if (stale.contains(claim.id())) {
                    continue;
                }
                settled++;
                log.warn("The lease of instance {} on message {} expired: attempt {} failed, the message is now {}",
                        claim.owner(), claim.id(), claim.metadata().attempts(),
                        Objects.requireNonNull(outcome.result()).state());
                if (claim.isDelivery()) {
                    listener.processed(MessageProcessor.outcomeOf(outcome));
                }
                DestinationResult result = decider.destinationResult(claim, AttemptFailure.leaseExpired());
                if (result != null) {
                    results.add(result);
                }
            }
            record(results, now);
            if (expired.size() < PAGE || stale.size() == expired.size()) {
                return settled;
            }
        }
    }

    private void record(List<DestinationResult> results, Instant now) {
        if (results.isEmpty()) {
            return;
        }
        try {
            metaStore.recordDestinationResults(results, destinations, now);
            recordFailures.succeeded();
        } catch (Throwable e) {
            recordFailures.failed(e);
        }
    }
}
