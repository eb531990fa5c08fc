package io.retryspool.storage.memory;

import io.retryspool.storage.AbstractMetaStoreContractTests;
import io.retryspool.storage.MetaStore;

/** Runs the {@link MetaStore} contract against {@link InMemoryMetaStore}. */
class InMemoryMetaStoreContractTests extends AbstractMetaStoreContractTests {

    @Override
    protected MetaStore createStore() {
        return new InMemoryMetaStore();
    }
}
