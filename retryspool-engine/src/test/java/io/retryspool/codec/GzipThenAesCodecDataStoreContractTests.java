package io.retryspool.codec;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.memory.InMemoryDataStore;

import java.util.List;

/**
 * Runs the {@link DataStore} contract through {@link GzipCodec} followed by an AES-256-GCM
 * {@link EncryptionCodec}, chained by {@link DataCodecs} around an {@link InMemoryDataStore}.
 */
class GzipThenAesCodecDataStoreContractTests extends AbstractDataStoreContractTests {

    @Override
    protected DataStore createStore() {
        return new CodecDataStore(new InMemoryDataStore(), DataCodecs.chain(Compression.GZIP,
                new EncryptionCodec(EncryptionKeys.of("k1", CodecTestSupport.key(1)), EncryptionAlgorithm.AES256GCM)));
    }
}
