package io.retryspool.observation;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;

/** Traces follow messages on the in-memory stores; the second instance shares the first one's store. */
class InMemoryTracingTests extends AbstractTracingTests {

    private final SpoolStore store = SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore());

    @Override
    protected SpoolStore openStore() {
        return store;
    }
}
