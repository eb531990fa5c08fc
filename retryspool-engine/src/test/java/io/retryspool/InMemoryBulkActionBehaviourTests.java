package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;

/** The bulk verbs on the in-memory stores. */
class InMemoryBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore(clock));
    }
}
