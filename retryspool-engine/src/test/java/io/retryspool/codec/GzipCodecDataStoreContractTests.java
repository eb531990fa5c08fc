package io.retryspool.codec;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.memory.InMemoryDataStore;

import java.util.List;

/**
 * Runs the {@link DataStore} contract through {@link GzipCodec} around an {@link InMemoryDataStore}.
 */
class GzipCodecDataStoreContractTests extends AbstractDataStoreContractTests {

    @Override
    protected DataStore createStore() {
        return new CodecDataStore(new InMemoryDataStore(), List.of(new GzipCodec()));
    }
}
