package io.retryspool.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The DataStore contract on the bodies of a store over two shards, the test bodies alternating between them. */
class TwoShardsDataStoreContractTests extends AbstractDataStoreContractTests {

    @BeforeEach
    void alternateShards() {
        TwoInMemoryShards.alternateIds();
    }

    @AfterEach
    void plainIds() {
        TestMessages.usePlainIds();
    }

    @Override
    protected DataStore createStore() {
        return TwoInMemoryShards.create().bodies();
    }
}
