package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;

/** How the engine schedules messages with a destination on the in-memory stores. */
class InMemoryDestinationBehaviourTests extends AbstractDestinationBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore());
    }
}
