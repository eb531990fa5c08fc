package io.retryspool.storage;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A metadata store and a body store used side by side: each write goes to both in one of their shared
 * transactions (when they share none, bodies first, then metadata).
 */
final class StorePair implements SpoolStore {

    private final MetaStore meta;
    private final DataStore bodies;
    private final StoreTransactions transactions;

    StorePair(MetaStore meta, DataStore bodies, StoreTransactions transactions) {
        this.meta = Objects.requireNonNull(meta, "meta");
        this.bodies = Objects.requireNonNull(bodies, "bodies");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public MetaStore meta() {
        return meta;
    }

    @Override
    public DataStore bodies() {
        return bodies;
    }

    @Override
    public StoreTransactions transactions() {
        return transactions;
    }

    /** Writes each body, then the metadata, and removes the body of each message that was not inserted. */
    @Override
    public List<StoreResult> storeAllWithBodies(List<NewMessage> messages, List<byte[]> contents) {
        return transactions.inTransaction(() -> {
            for (int i = 0; i < messages.size(); i++) {
                bodies.store(messages.get(i).metadata().id(), new ByteArrayInputStream(contents.get(i)));
            }
            List<StoreResult> results = meta.storeAll(messages);
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).created()) {
                    bodies.delete(messages.get(i).metadata().id());
                }
            }
            return results;
        });
    }

    /** Writes the outcomes, then deletes the bodies of the messages that were deleted. */
    @Override
    public Set<String> completeAndDeleteBodies(List<ClaimOutcome> outcomes) {
        return transactions.inTransaction(() -> {
            Set<String> stale = meta.complete(outcomes);
            List<String> deleted = new ArrayList<>();
            for (ClaimOutcome outcome : outcomes) {
                if (outcome.deletes() && !stale.contains(outcome.id())) {
                    deleted.add(outcome.id());
                }
            }
            if (!deleted.isEmpty()) {
                bodies.deleteAll(deleted);
            }
            return stale;
        });
    }
}
