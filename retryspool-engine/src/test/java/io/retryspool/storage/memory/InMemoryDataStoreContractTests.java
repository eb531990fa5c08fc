package io.retryspool.storage.memory;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;

/** Runs the {@link DataStore} contract against {@link InMemoryDataStore}. */
class InMemoryDataStoreContractTests extends AbstractDataStoreContractTests {

    @Override
    protected DataStore createStore() {
        return new InMemoryDataStore();
    }
}
