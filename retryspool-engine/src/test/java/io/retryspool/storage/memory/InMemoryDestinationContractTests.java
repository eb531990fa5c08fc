package io.retryspool.storage.memory;

import io.retryspool.storage.AbstractDestinationContractTests;
import io.retryspool.storage.MetaStore;

/** Runs the destination contract against {@link InMemoryMetaStore}. */
class InMemoryDestinationContractTests extends AbstractDestinationContractTests {

    @Override
    protected MetaStore createStore() {
        return new InMemoryMetaStore();
    }
}
