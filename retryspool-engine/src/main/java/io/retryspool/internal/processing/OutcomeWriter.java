package io.retryspool.internal.processing;

import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Stores outcomes of processed claims: the metadata as a compare-and-set on the claim, then, for a
 * deleted message, its body.
 */
public final class OutcomeWriter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    private final MetaStore metaStore;
    private final DataStore dataStore;

    /**
     * Creates a writer.
     *
     * @param metaStore where metadata goes
     * @param dataStore where bodies of deleted messages are removed from
     */
    public OutcomeWriter(MetaStore metaStore, DataStore dataStore) {
        this.metaStore = metaStore;
        this.dataStore = dataStore;
    }

    /**
     * Writes one outcome.
     *
     * @param outcome the outcome
     * @return true if it was written, false if the claim was no longer held
     */
    public boolean write(ClaimOutcome outcome) {
        Set<String> stale = metaStore.complete(List.of(outcome));
        if (!stale.isEmpty()) {
            log.warn("Discarded the outcome of message {}: its claim is no longer held "
                    + "(the lease expired, or it was moved or deleted meanwhile)", outcome.id());
            return false;
        }
        if (outcome.deletes()) {
            try {
                dataStore.delete(outcome.id());
            } catch (RuntimeException e) {
                log.warn("Could not delete the body of finished message {}; it is left as an orphan", outcome.id(), e);
            }
        }
        return true;
    }
}
