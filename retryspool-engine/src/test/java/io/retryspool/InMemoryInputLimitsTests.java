package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** The input limits on the in-memory stores. */
class InMemoryInputLimitsTests extends AbstractInputLimitsTests {

    private InMemoryMetaStore metaStore;
    private InMemoryDataStore dataStore;

    @BeforeEach
    void createStores() {
        metaStore = new InMemoryMetaStore();
        dataStore = new InMemoryDataStore();
    }

    @Override
    protected RetrySpoolBuilder onStore(RetrySpoolBuilder builder) {
        return builder.metaStore(metaStore).dataStore(dataStore);
    }

    @Override
    protected Set<String> storedBodyIds() {
        return new HashSet<>(dataStore.listIds(Instant.parse("9999-12-31T00:00:00Z"), null, Integer.MAX_VALUE));
    }
}
