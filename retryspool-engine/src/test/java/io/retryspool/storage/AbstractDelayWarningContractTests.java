package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.testing.Concurrently;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.retryspool.QueueState.ARCHIVED;
import static io.retryspool.QueueState.BOUNCE;
import static io.retryspool.QueueState.DEFERRED;
import static io.retryspool.QueueState.HOLD;
import static io.retryspool.QueueState.INCOMING;
import static io.retryspool.storage.TestMessages.at;
import static io.retryspool.storage.TestMessages.id;
import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link MetaStore#claimDelayWarnings}: which messages get a delay warning, that each gets it once
 * (also when several clients claim at once), and that a batch is bounded. A backend's test class extends this one;
 * every test starts from an empty store. Times are fixed instants, never the system clock.
 */
public abstract class AbstractDelayWarningContractTests {

    private MetaStore store;

    /**
     * Creates the store under test. It must be empty.
     *
     * @return an empty store
     */
    protected abstract MetaStore createStore();

    /**
     * Releases what {@link #createStore()} set up; called after every test. Does nothing by default.
     *
     * @param store the store the test used
     */
    protected void destroyStore(MetaStore store) {
    }

    /**
     * Returns a second client of the same stored data, as another process would hold it. The default is the store
     * itself, right for stores that live in one process.
     *
     * @param store the store under test
     * @return a store that sees the same messages
     */
    protected MetaStore anotherClientOf(MetaStore store) {
        return store;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    @AfterEach
    void destroyStoreUnderTest() {
        destroyStore(store);
    }

    @Test
    void undeliveredMessagesCreatedAtOrBeforeTheCutoffAreReturnedOldestFirst() {
        insertIn(DEFERRED, message(1).created(at(30)).build());
        insertIn(INCOMING, message(2).created(at(10)).build());
        insertIn(HOLD, message(3).created(at(20)).build());
        insertIn(INCOMING, message(4).created(at(40)).build());
        store.claim(new ClaimRequest(EnumSet.of(INCOMING), at(100), 1, "owner", Duration.ofMinutes(5)));
        insertIn(INCOMING, message(5).created(at(41)).build());

        List<MessageMetadata> warned = store.claimDelayWarnings(at(40), at(100), 10);

        assertThat(warned).extracting(MessageMetadata::id).containsExactly(id(2), id(3), id(1), id(4));
        assertThat(warned).extracting(MessageMetadata::state)
                .containsExactly(QueueState.ACTIVE, HOLD, DEFERRED, INCOMING);
    }

    @Test
    void bouncedAndArchivedMessagesGetNoDelayWarning() {
        insertIn(BOUNCE, message(1).created(at(1)).build());
        insertIn(ARCHIVED, message(2).created(at(1)).build());

        assertThat(store.claimDelayWarnings(at(100), at(100), 10)).isEmpty();
    }

    @Test
    void aMessageIsReturnedOnceEvenAfterItChangesState() {
        insertIn(DEFERRED, message(1).created(at(1)).build());

        assertThat(store.claimDelayWarnings(at(100), at(100), 10)).extracting(MessageMetadata::id).containsExactly(id(1));
        store.moveToState(id(1), DEFERRED, HOLD, at(101), null);
        store.moveToState(id(1), HOLD, INCOMING, at(102), at(102));

        assertThat(store.claimDelayWarnings(at(200), at(200), 10)).isEmpty();
    }

    @Test
    void theReturnedMetadataIsTheStoredMetadataUnchanged() {
        MessageMetadata stored = insertIn(DEFERRED, message(1).created(at(1)).updated(at(5)).nextRetry(at(500))
                .attempts(2).header("to", "alice").lastError("timed out").build());

        List<MessageMetadata> warned = store.claimDelayWarnings(at(100), at(100), 10);

        assertThat(warned).containsExactly(stored);
        assertThat(store.find(id(1))).contains(stored);
    }

    @Test
    void aBatchHoldsAtMostTheLimitAndTheNextCallTakesTheNextOldest() {
        for (int n = 1; n <= 5; n++) {
            insertIn(INCOMING, message(n).created(at(n)).build());
        }

        assertThat(ids(store.claimDelayWarnings(at(100), at(100), 2))).containsExactly(id(1), id(2));
        assertThat(ids(store.claimDelayWarnings(at(100), at(100), 2))).containsExactly(id(3), id(4));
        assertThat(ids(store.claimDelayWarnings(at(100), at(100), 2))).containsExactly(id(5));
        assertThat(store.claimDelayWarnings(at(100), at(100), 2)).isEmpty();
    }

    @Test
    void aLimitBelowOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> store.claimDelayWarnings(at(100), at(100), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("limit:");
    }

    @Test
    @Timeout(120)
    void concurrentClaimersNeverReceiveTheSameWarningTwice() throws Exception {
        int total = 3_000;
        List<NewMessage> batch = new ArrayList<>();
        for (int n = 0; n < total; n++) {
            batch.add(new NewMessage(message(n).created(at(-(n % 613))).build(), null));
            if (batch.size() == 1_000) {
                store.storeAll(batch);
                batch.clear();
            }
        }
        MetaStore other = anotherClientOf(store);
        Set<String> received = ConcurrentHashMap.newKeySet();
        Queue<String> duplicates = new ConcurrentLinkedQueue<>();

        Concurrently.run(6, worker -> {
            MetaStore client = worker % 2 == 0 ? store : other;
            List<MessageMetadata> warned;
            do {
                warned = client.claimDelayWarnings(at(0), at(60), 25);
                for (MessageMetadata metadata : warned) {
                    if (!received.add(metadata.id())) {
                        duplicates.add(metadata.id());
                    }
                }
            } while (!warned.isEmpty());
        });

        assertThat(duplicates).isEmpty();
        assertThat(received).hasSize(total);
    }

    /** Stores a message INCOMING and moves it to {@code state} (not ACTIVE), keeping its update and next retry. */
    private MessageMetadata insertIn(QueueState state, MessageMetadata metadata) {
        store.store(new NewMessage(metadata.withState(INCOMING), null));
        if (state == INCOMING) {
            return store.find(metadata.id()).orElseThrow();
        }
        return store.moveToState(metadata.id(), INCOMING, state, metadata.updated(), metadata.nextRetry());
    }

    private static List<String> ids(List<MessageMetadata> messages) {
        return messages.stream().map(MessageMetadata::id).toList();
    }
}
