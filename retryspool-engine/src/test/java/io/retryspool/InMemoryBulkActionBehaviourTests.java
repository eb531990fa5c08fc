package io.retryspool;

import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;

/** The bulk verbs on the in-memory stores. */
class InMemoryBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @Override
    protected MetaStore createMetaStore() {
        return new InMemoryMetaStore();
    }

    @Override
    protected DataStore createDataStore() {
        return new InMemoryDataStore(clock);
    }
}
