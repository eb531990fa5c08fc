package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;

/** The engine's behaviour on the in-memory stores. */
class InMemoryRetrySpoolBehaviourTests extends AbstractRetrySpoolBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore());
    }
}
