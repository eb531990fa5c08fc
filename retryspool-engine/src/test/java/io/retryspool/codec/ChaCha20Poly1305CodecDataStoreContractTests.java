package io.retryspool.codec;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.memory.InMemoryDataStore;

import java.util.List;

/**
 * Runs the {@link DataStore} contract through an {@link EncryptionCodec} with
 * {@link EncryptionAlgorithm#CHACHA20POLY1305} around an {@link InMemoryDataStore}.
 */
class ChaCha20Poly1305CodecDataStoreContractTests extends AbstractDataStoreContractTests {

    @Override
    protected DataStore createStore() {
        return new CodecDataStore(new InMemoryDataStore(), List.of(
                new EncryptionCodec(EncryptionKeys.of("k1", CodecTestSupport.key(1)),
                        EncryptionAlgorithm.CHACHA20POLY1305)));
    }
}
