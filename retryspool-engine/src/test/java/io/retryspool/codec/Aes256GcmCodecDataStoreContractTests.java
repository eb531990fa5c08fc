package io.retryspool.codec;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.memory.InMemoryDataStore;

import java.util.List;

/**
 * Runs the {@link DataStore} contract through an {@link EncryptionCodec} with
 * {@link EncryptionAlgorithm#AES256GCM} around an {@link InMemoryDataStore}.
 */
class Aes256GcmCodecDataStoreContractTests extends AbstractDataStoreContractTests {

    @Override
    protected DataStore createStore() {
        return new CodecDataStore(new InMemoryDataStore(), List.of(
                new EncryptionCodec(EncryptionKeys.of("k1", CodecTestSupport.key(1)), EncryptionAlgorithm.AES256GCM)));
    }
}
