package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;

/** Typed messages on the in-memory stores. */
class InMemoryTypedMessageBehaviourTests extends AbstractTypedMessageBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore());
    }
}
