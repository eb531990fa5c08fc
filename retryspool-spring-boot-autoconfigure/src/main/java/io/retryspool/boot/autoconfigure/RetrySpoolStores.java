package io.retryspool.boot.autoconfigure;

import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.StoreTransactions;

import java.util.Objects;

/**
 * The stores the auto-configured spool uses. Define a bean of this type to bring your own.
 *
 * @param metaStore the metadata store
 * @param dataStore the body store, before codecs
 * @param transactions how meta and data writes share a transaction ({@link StoreTransactions#NONE} when they cannot)
 */
public record RetrySpoolStores(MetaStore metaStore, DataStore dataStore, StoreTransactions transactions) {

    /** Checks that every store is present. */
    public RetrySpoolStores {
        Objects.requireNonNull(metaStore, "metaStore");
        Objects.requireNonNull(dataStore, "dataStore");
        Objects.requireNonNull(transactions, "transactions");
    }
}
