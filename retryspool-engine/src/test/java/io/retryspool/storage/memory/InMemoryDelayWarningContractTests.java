package io.retryspool.storage.memory;

import io.retryspool.storage.AbstractDelayWarningContractTests;
import io.retryspool.storage.MetaStore;

/** Runs the delay-warning contract against {@link InMemoryMetaStore}. */
class InMemoryDelayWarningContractTests extends AbstractDelayWarningContractTests {

    @Override
    protected MetaStore createStore() {
        return new InMemoryMetaStore();
    }
}
