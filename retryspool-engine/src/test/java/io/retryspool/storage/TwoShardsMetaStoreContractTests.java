package io.retryspool.storage;

import io.retryspool.storage.shard.ShardedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MetaStore contract on a store over two shards, the test messages alternating between them. Four parts of the
 * contract hold per shard, not across shards, and are checked with every message in one shard: a claim or a
 * retention sweep with a limit takes each shard's first messages in turn, not the first of all shards (a global order
 * would cost a claim and a release on every shard); and an idempotency key is unique across shards only because
 * {@link ShardedStore#placeNewMessages} puts every message with a key on the key's shard, which ids made up by a test
 * bypass ({@code ShardedStoreTests} checks the placement).
 */
class TwoShardsMetaStoreContractTests extends AbstractMetaStoreContractTests {

    @BeforeEach
    void alternateShards() {
        TwoInMemoryShards.alternateIds();
    }

    @AfterEach
    void plainIds() {
        TestMessages.usePlainIds();
    }

    private static void oneShard() {
        TwoInMemoryShards.idsOn("a");
    }

    @Override
    @Test
    void claimTakesAtMostTheLimitInDueOrder() {
        oneShard();
        super.claimTakesAtMostTheLimitInDueOrder();
    }

    @Override
    @Test
    void deleteArchivedDeletesArchivedMessagesLastUpdatedBeforeTheCutoffOldestFirst() {
        oneShard();
        super.deleteArchivedDeletesArchivedMessagesLastUpdatedBeforeTheCutoffOldestFirst();
    }

    @Override
    @Test
    void storeWithAKnownIdempotencyKeyReturnsTheExistingIdAndStoresNothing() {
        oneShard();
        super.storeWithAKnownIdempotencyKeyReturnsTheExistingIdAndStoresNothing();
    }

    @Override
    @Test
    void idempotencyKeyRepeatedWithinOneBatchResolvesToTheFirstMessage() {
        oneShard();
        super.idempotencyKeyRepeatedWithinOneBatchResolvesToTheFirstMessage();
    }

    @Override
    protected MetaStore createStore() {
        return TwoInMemoryShards.create().meta();
    }
}
