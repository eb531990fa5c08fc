package io.retryspool.internal.processing;

import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.StoreTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Stores outcomes of processed claims: the metadata as a compare-and-set on the claim, then, for a
 * deleted message, its body.
 */
public final class OutcomeWriter {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    private final MetaStore metaStore;
    private final DataStore dataStore;
    private final StoreTransactions transactions;

    /**
     * Creates a writer.
     *
     * @param metaStore where metadata goes
     * @param dataStore where bodies of deleted messages are removed from
     * @param transactions groups the metadata write and the body's deletion where the stores share a database
     */
    public OutcomeWriter(MetaStore metaStore, DataStore dataStore, StoreTransactions transactions) {
        this.metaStore = metaStore;
        this.dataStore = dataStore;
        this.transactions = transactions;
    }

    /**
     * Writes one outcome.
     *
     * @param outcome the outcome
     * @return true if it was written, false if the claim was no longer held
     */
    public boolean write(ClaimOutcome outcome) {
        boolean written = transactions.inTransaction(() -> {
            if (!metaStore.complete(List.of(outcome)).isEmpty()) {
                return false;
            }
            if (outcome.deletes()) {
                deleteBody(outcome.id());
            }
            return true;
        });
        if (!written) {
            log.warn("Discarded the outcome of message {}: its claim is no longer held "
                    + "(the lease expired, or it was moved or deleted meanwhile)", outcome.id());
        }
        return written;
    }

    private void deleteBody(String id) {
        try {
            dataStore.delete(id);
        } catch (RuntimeException e) {
            log.warn("Could not delete the body of finished message {}; it is left as an orphan", id, e);
        }
    }
}
