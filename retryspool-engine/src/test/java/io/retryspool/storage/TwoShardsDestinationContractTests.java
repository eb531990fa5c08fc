package io.retryspool.storage;

import io.retryspool.DestinationStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.retryspool.storage.TestMessages.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The destination contract on a store over two shards. Limits and fairness hold per shard (each shard's store schedules
 * its own messages), so the contract's messages are all placed on one shard; results, suspensions and resumptions go
 * to every shard, which the tests added here check with a destination's messages on both.
 */
class TwoShardsDestinationContractTests extends AbstractDestinationContractTests {

    @BeforeEach
    void oneShard() {
        TwoInMemoryShards.idsOn("a");
    }

    @AfterEach
    void plainIds() {
        TestMessages.usePlainIds();
    }

    @Override
    protected MetaStore createStore() {
        return TwoInMemoryShards.create().meta();
    }

    @Test
    void aSuspensionHoldsOnEveryShardAndAResumptionLiftsItOnEvery() {
        TwoInMemoryShards.alternateIds();
        enqueue("a.example", 4);
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(5));
        store().recordDestinationResults(List.of(new DestinationResult("a.example", false)), policy, at(60));

        assertThat(store().suspendedDestinations()).containsExactly(
                new DestinationStatus("a.example", 1, 1, at(60).plus(Duration.ofMinutes(5))));
        assertThat(store().claim(new ClaimRequest(java.util.EnumSet.of(io.retryspool.QueueState.INCOMING), at(60), 10,
                "owner", Duration.ofMinutes(5), policy))).as("paused on both shards").isEmpty();

        assertThat(store().resumeDestination("a.example")).isTrue();
        assertThat(store().claim(new ClaimRequest(java.util.EnumSet.of(io.retryspool.QueueState.INCOMING), at(60), 10,
                "owner", Duration.ofMinutes(5), policy))).hasSize(4);
    }
}
