package io.retryspool.storage.memory;

import io.retryspool.storage.AbstractMetaStoreSelectionContractTests;
import io.retryspool.storage.MetaStore;

/** Runs the bulk operations' contract against {@link InMemoryMetaStore}. */
class InMemoryMetaStoreSelectionContractTests extends AbstractMetaStoreSelectionContractTests {

    @Override
    protected MetaStore createStore() {
        return new InMemoryMetaStore();
    }
}
