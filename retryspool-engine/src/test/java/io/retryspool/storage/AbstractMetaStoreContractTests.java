package io.retryspool.storage;

import io.retryspool.ActivityMinute;
import io.retryspool.ArchiveReason;
import io.retryspool.BacklogShape;
import io.retryspool.Count;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.MessageNotFoundException;
import io.retryspool.Page;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import io.retryspool.SortField;
import io.retryspool.StateConflictException;
import io.retryspool.checks.InputLimits;
import io.retryspool.testing.Concurrently;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.retryspool.QueueState.ACTIVE;
import static io.retryspool.QueueState.ARCHIVED;
import static io.retryspool.QueueState.BOUNCE;
import static io.retryspool.QueueState.DEFERRED;
import static io.retryspool.QueueState.HOLD;
import static io.retryspool.QueueState.INCOMING;
import static io.retryspool.storage.TestMessages.T0;
import static io.retryspool.storage.TestMessages.at;
import static io.retryspool.storage.TestMessages.id;
import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The contract every {@link MetaStore} fulfils. A backend's test class extends this one and implements
 * {@link #createStore()}; every test starts from an empty store. Times are fixed instants at millisecond
 * precision, never the system clock, except where leases must expire: leases run on the store's clock (a
 * database server's own, see {@link MetaStore}), so those tests use short real leases and the real time.
 */
public abstract class AbstractMetaStoreContractTests {

    private static final Set<QueueState> CLAIMABLE = EnumSet.of(INCOMING, DEFERRED, BOUNCE);
    private static final String OWNER = "instance-a";
    private static final String OTHER_OWNER = "instance-b";
    private static final Duration LEASE = Duration.ofSeconds(300);
    private static final Duration LONG_LEASE = Duration.ofHours(1);
    private static final Duration SHORT_LEASE = Duration.ofMillis(200);

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
     * @throws Exception if cleaning up fails
     */
    protected void destroyStore(MetaStore store) throws Exception {
    }

    /**
     * Returns a second client of the same stored data, as another process would hold it, for the
     * concurrency contract. The default is the store itself, which is right for stores that live in one
     * process; a database-backed store returns another instance on the same database.
     *
     * @param store the store under test
     * @return a store that sees the same messages
     */
    protected MetaStore anotherClientOf(MetaStore store) {
        return store;
    }

    /**
     * Brings the store's statistics up to date, as a database's periodic analyze would, before a test of estimated
     * counts. Does nothing by default.
     */
    protected void refreshStatistics() {
    }

    /**
     * Whether the store estimates counts beyond an exact-count limit; false by default (it counts exactly).
     *
     * @return true for a store that estimates
     */
    protected boolean estimatesBeyondLimit() {
        return false;
    }

    /**
     * Returns the store under test, for tests that a subclass adds.
     *
     * @return the store
     */
    protected final MetaStore store() {
        return store;
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
        assertThat(store.countByState().values()).as("a fresh store must be empty").containsOnly(0L);
    }

    @AfterEach
    void destroyStoreUnderTest() throws Exception {
        destroyStore(store);
    }

    // ---------------------------------------------------------------- store, storeAll, find

    @Test
    void storeAllReturnsOneResultPerMessageInTheGivenOrder() {
        List<StoreResult> results = store.storeAll(List.of(
                new NewMessage(message(3).build(), null),
                new NewMessage(message(1).build(), null),
                new NewMessage(message(2).build(), null)));

        assertThat(results).containsExactly(
                new StoreResult(id(3), true), new StoreResult(id(1), true), new StoreResult(id(2), true));
        assertThat(store.find(id(1))).isPresent();
        assertThat(store.find(id(2))).isPresent();
        assertThat(store.find(id(3))).isPresent();
    }

    @Test
    void storedMetadataIsReadBackUnchanged() {
        MessageMetadata incoming = message(1).attempts(2).maxAttempts(7).nextRetry(at(90)).updated(at(5))
                .lastError("java.io.IOException: connection reset").size(12_345).priority(42)
                .header("recipient", "a@example.com").header("subject", "Hello").retryPolicyName("slow")
                .destination("example.com").build();
        MessageMetadata held = message(2).state(HOLD).created(at(1)).build();

        assertThat(store.store(new NewMessage(incoming, null))).isEqualTo(new StoreResult(id(1), true));
        assertThat(store.store(new NewMessage(held, null))).isEqualTo(new StoreResult(id(2), true));

        assertThat(store.find(id(1))).contains(incoming);
        assertThat(store.find(id(2))).contains(held);
    }

    @Test
    void storedHeadersKeepTheirInsertionOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("zeta", "1");
        headers.put("alpha", "2");
        headers.put("content-type", "text/plain");
        headers.put("m", "3");
        insert(message(1).headers(headers).build());

        assertThat(stored(id(1)).headers().keySet()).containsExactly("zeta", "alpha", "content-type", "m");
        assertThat(stored(id(1)).headers()).isEqualTo(headers);
    }

    @Test
    void findOfAnUnknownIdIsEmpty() {
        insert(message(1).build());

        assertThat(store.find(id(2))).isEmpty();
    }

    @Test
    void storeWithAKnownIdempotencyKeyReturnsTheExistingIdAndStoresNothing() {
        MessageMetadata first = message(1).header("n", "first").build();
        assertThat(store.store(new NewMessage(first, "order-7"))).isEqualTo(new StoreResult(id(1), true));

        StoreResult again = store.store(new NewMessage(message(2).header("n", "second").build(), "order-7"));
        List<StoreResult> batch = store.storeAll(List.of(
                new NewMessage(message(3).build(), "order-7"),
                new NewMessage(message(4).build(), null)));

        assertThat(again).isEqualTo(new StoreResult(id(1), false));
        assertThat(batch).containsExactly(new StoreResult(id(1), false), new StoreResult(id(4), true));
        assertThat(store.find(id(2))).isEmpty();
        assertThat(store.find(id(3))).isEmpty();
        assertThat(store.find(id(1))).contains(first);
        assertThat(store.countByState()).containsEntry(INCOMING, 2L);
    }

    @Test
    void idempotencyKeyRepeatedWithinOneBatchResolvesToTheFirstMessage() {
        List<StoreResult> results = store.storeAll(List.of(
                new NewMessage(message(1).build(), "key-a"),
                new NewMessage(message(2).build(), "key-a"),
                new NewMessage(message(3).build(), "key-b"),
                new NewMessage(message(4).build(), "key-b")));

        assertThat(results).containsExactly(
                new StoreResult(id(1), true), new StoreResult(id(1), false),
                new StoreResult(id(3), true), new StoreResult(id(3), false));
        assertThat(store.find(id(2))).isEmpty();
        assertThat(store.find(id(4))).isEmpty();
        assertThat(store.countByState()).containsEntry(INCOMING, 2L);
    }

    @Test
    void idempotencyKeysThatDifferOnlyInTrailingSpacesAreDifferentKeys() {
        List<StoreResult> first = store.storeAll(List.of(
                new NewMessage(message(1).build(), "order-8"),
                new NewMessage(message(2).build(), "order-8 "),
                new NewMessage(message(3).build(), "order-8  ")));
        StoreResult again = store.store(new NewMessage(message(4).build(), "order-8 "));

        assertThat(first).containsExactly(new StoreResult(id(1), true), new StoreResult(id(2), true),
                new StoreResult(id(3), true));
        assertThat(again).as("held by the message with exactly that key").isEqualTo(new StoreResult(id(2), false));
        assertThat(store.countByState()).containsEntry(INCOMING, 3L);
    }

    @Test
    void aStoredDestinationIsReadBackByFindClaimAndList() {
        String longest = "é".repeat(InputLimits.MAX_DESTINATION_LENGTH);
        insert(message(1).destination("example.org").build());
        insert(message(2).build());
        store.storeAll(List.of(
                new NewMessage(message(3).destination(longest).build(), "key-3"),
                new NewMessage(message(4).build(), null)));

        assertThat(stored(id(1)).destination()).isEqualTo("example.org");
        assertThat(stored(id(2)).destination()).isNull();
        assertThat(stored(id(3)).destination()).isEqualTo(longest);
        assertThat(stored(id(4)).destination()).isNull();
        assertThat(store.list(INCOMING, ListOptions.builder().build()).items())
                .extracting(Message::id, message -> message.metadata().destination())
                .containsExactly(tuple(id(1), "example.org"), tuple(id(2), null), tuple(id(3), longest),
                        tuple(id(4), null));
        assertThat(store.claim(request(at(1), 4, CLAIMABLE)))
                .extracting(Claim::id, claim -> claim.metadata().destination())
                .containsExactlyInAnyOrder(tuple(id(1), "example.org"), tuple(id(2), null), tuple(id(3), longest),
                        tuple(id(4), null));
    }

    @Test
    void theDestinationOutlastsUpdatesMovesAndOutcomes() {
        insert(message(1).destination("example.org").build());

        assertThat(store.update(id(1), current -> current.withPriority(80).withUpdated(at(3))).destination())
                .isEqualTo("example.org");
        assertThat(store.moveToState(id(1), INCOMING, HOLD, at(4), null).destination()).isEqualTo("example.org");
        store.moveToState(id(1), HOLD, INCOMING, at(5), at(5));
        Claim claim = store.claim(request(at(6), 1, CLAIMABLE)).get(0);
        store.complete(List.of(ClaimOutcome.update(claim, claim.metadata().toBuilder().state(DEFERRED)
                .nextRetry(at(900)).updated(at(7)).build())));

        assertThat(claim.metadata().destination()).isEqualTo("example.org");
        assertThat(stored(id(1)).destination()).isEqualTo("example.org");
        assertThat(stored(id(1)).state()).isEqualTo(DEFERRED);
    }

    // ---------------------------------------------------------------- update, delete

    @Test
    void updateStoresWhatTheChangeMakesOfTheCurrentMetadata() {
        insert(message(1).priority(5).header("a", "1").build());

        MessageMetadata returned = store.update(id(1), current -> current.withPriority(80).withHeader("b", "2")
                .withUpdated(at(30)));

        MessageMetadata expected = message(1).priority(80).header("a", "1").header("b", "2").updated(at(30)).build();
        assertThat(returned).isEqualTo(expected);
        assertThat(store.find(id(1))).contains(expected);
    }

    @Test
    void updateOfAnUnknownIdThrowsMessageNotFound() {
        assertThatThrownBy(() -> store.update(id(404), current -> current.withPriority(1)))
                .isInstanceOf(MessageNotFoundException.class)
                .hasMessageContaining(id(404));
    }

    @Test
    @Timeout(60)
    void concurrentUpdatesOfOneMessageAreAtomic() throws Exception {
        insert(message(1).build());
        int threads = 8;
        int updatesPerThread = 50;

        Concurrently.run(threads, worker -> {
            for (int i = 0; i < updatesPerThread; i++) {
                store.update(id(1), current -> current.toBuilder().attempts(current.attempts() + 1).build());
            }
        });

        assertThat(stored(id(1)).attempts()).isEqualTo(threads * updatesPerThread);
    }

    @Test
    void deleteRemovesTheMessageAndTellsWhetherItExisted() {
        insert(message(1).build());
        insert(message(2).build());

        assertThat(store.delete(id(1))).isTrue();
        assertThat(store.find(id(1))).isEmpty();
        assertThat(store.delete(id(1))).isFalse();
        assertThat(store.delete(id(404))).isFalse();
        assertThat(store.find(id(2))).isPresent();
        assertThat(store.countByState()).containsEntry(INCOMING, 1L);
    }

    // ---------------------------------------------------------------- list

    /**
     * Five messages whose orders differ per field, each field with one tie (broken by id):
     * <pre>
     * id        created  priority  nextRetry  updated
     * msg-00001   +3s       5        +10s       +7s
     * msg-00002   +1s       9        +30s       +7s
     * msg-00003   +2s       5        +20s       +9s
     * msg-00004   +1s       1        +10s       +8s
     * msg-00005   +4s       9        +5s        +6s
     * </pre>
     */
    private void insertSortFixture() {
        insert(message(1).created(at(3)).priority(5).nextRetry(at(10)).updated(at(7)).build());
        insert(message(2).created(at(1)).priority(9).nextRetry(at(30)).updated(at(7)).build());
        insert(message(3).created(at(2)).priority(5).nextRetry(at(20)).updated(at(9)).build());
        insert(message(4).created(at(1)).priority(1).nextRetry(at(10)).updated(at(8)).build());
        insert(message(5).created(at(4)).priority(9).nextRetry(at(5)).updated(at(6)).build());
    }

    private static List<String> ascendingSortFixtureOrder(SortField sortBy) {
        return switch (sortBy) {
            case CREATED -> List.of(id(2), id(4), id(3), id(1), id(5));
            case PRIORITY -> List.of(id(4), id(1), id(3), id(2), id(5));
            case NEXT_RETRY -> List.of(id(5), id(1), id(4), id(3), id(2));
            case UPDATED -> List.of(id(5), id(1), id(2), id(4), id(3));
        };
    }

    @ParameterizedTest
    @EnumSource(SortField.class)
    void listOrdersByEachFieldWithTiesBrokenById(SortField sortBy) {
        insertSortFixture();
        insert(message(6).state(HOLD).build());
        List<String> ascending = ascendingSortFixtureOrder(sortBy);
        List<String> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);

        Page<Message> up = store.list(INCOMING, ListOptions.builder().sortBy(sortBy).build());
        Page<Message> down = store.list(INCOMING, ListOptions.builder().sortBy(sortBy).descending().build());

        assertThat(ids(up)).containsExactlyElementsOf(ascending);
        assertThat(ids(down)).containsExactlyElementsOf(descending);
        assertThat(up.total()).isEqualTo(5);
        assertThat(up.hasMore()).isFalse();
        assertThat(up.nextCursor()).isNull();
    }

    @Test
    void listReturnsOnlyMessagesOfTheRequestedStateWithTheirMetadata() {
        MessageMetadata incoming = insert(message(1).priority(7).header("k", "v").build());
        insertIn(DEFERRED, message(2).nextRetry(at(60)).build());
        insert(message(3).state(HOLD).build());

        Page<Message> page = store.list(INCOMING, ListOptions.defaults());
        Page<Message> deferred = store.list(DEFERRED, ListOptions.defaults());

        assertThat(page.items()).containsExactly(Message.of(incoming));
        assertThat(page.total()).isEqualTo(1);
        assertThat(ids(deferred)).containsExactly(id(2));
        assertThat(deferred.items().get(0).metadata().state()).isEqualTo(DEFERRED);
    }

    @Test
    void listOfAnEmptyStateIsAnEmptyLastPage() {
        insert(message(1).build());

        Page<Message> page = store.list(ARCHIVED, ListOptions.defaults());

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isZero();
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void listPagesByOffset() {
        insertSortFixture();
        List<String> all = ascendingSortFixtureOrder(SortField.PRIORITY);

        Page<Message> first = store.list(INCOMING, ListOptions.builder().sortBy(SortField.PRIORITY).limit(2).build());
        Page<Message> second = store.list(INCOMING,
                ListOptions.builder().sortBy(SortField.PRIORITY).limit(2).offset(2).build());
        Page<Message> last = store.list(INCOMING,
                ListOptions.builder().sortBy(SortField.PRIORITY).limit(2).offset(4).build());
        Page<Message> beyond = store.list(INCOMING,
                ListOptions.builder().sortBy(SortField.PRIORITY).limit(2).offset(9).build());

        assertThat(ids(first)).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(first.hasMore()).isTrue();
        assertThat(first.total()).isEqualTo(5);
        assertThat(ids(second)).containsExactlyElementsOf(all.subList(2, 4));
        assertThat(second.hasMore()).isTrue();
        assertThat(ids(last)).containsExactlyElementsOf(all.subList(4, 5));
        assertThat(last.hasMore()).isFalse();
        assertThat(last.nextCursor()).isNull();
        assertThat(last.total()).isEqualTo(5);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.hasMore()).isFalse();
        assertThat(beyond.total()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(SortField.class)
    void cursorsWalkEveryOrderPageByPage(SortField sortBy) {
        insertSortFixture();
        for (boolean descending : new boolean[] {false, true}) {
            List<String> expected = new ArrayList<>(ascendingSortFixtureOrder(sortBy));
            if (descending) {
                Collections.reverse(expected);
            }
            List<String> walked = new ArrayList<>();
            List<Boolean> hasMore = new ArrayList<>();
            String cursor = null;
            do {
                ListOptions.Builder options = ListOptions.builder().sortBy(sortBy).limit(2).after(cursor);
                if (descending) {
                    options.descending();
                }
                Page<Message> page = store.list(INCOMING, options.build());
                assertThat(page.total()).isEqualTo(5);
                assertThat(page.nextCursor() != null).as("nextCursor is given exactly when hasMore").isEqualTo(page.hasMore());
                walked.addAll(ids(page));
                hasMore.add(page.hasMore());
                cursor = page.nextCursor();
            } while (cursor != null && walked.size() <= 5);

            assertThat(walked).as("%s %s", sortBy, descending ? "descending" : "ascending")
                    .containsExactlyElementsOf(expected);
            assertThat(hasMore).containsExactly(true, true, false);
        }
    }

    @Test
    void cursorWalkSeesEveryMessageOnceWhileMessagesComeAndGo() {
        List<String> originals = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            insert(message(n).created(at(2L * n)).build());
            originals.add(id(n));
        }
        List<String> insertedLater = new ArrayList<>();
        List<String> walked = new ArrayList<>();
        int inserts = 0;
        String cursor = null;
        do {
            Page<Message> page = store.list(INCOMING, ListOptions.builder().limit(3).after(cursor).build());
            walked.addAll(ids(page));
            cursor = page.nextCursor();
            if (page.hasMore()) {
                // one message that sorts after the cursor, one that sorts before it, and one already seen leaves
                insert(message(100 + inserts).created(at(1000 + inserts)).build());
                insertedLater.add(id(100 + inserts));
                insert(message(200 + inserts).created(at(-1 - inserts)).build());
                assertThat(store.delete(page.items().get(0).id())).isTrue();
                inserts++;
            }
        } while (cursor != null && walked.size() < 100);

        List<String> expected = new ArrayList<>(originals);
        expected.addAll(insertedLater);
        assertThat(walked).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    }

    @Test
    void listRejectsACursorMadeForAnotherOrder() {
        insertSortFixture();
        String cursor = store.list(INCOMING, ListOptions.builder().limit(2).build()).nextCursor();
        assertThat(cursor).isNotNull();

        assertThatThrownBy(() -> store.list(INCOMING,
                ListOptions.builder().sortBy(SortField.PRIORITY).limit(2).after(cursor).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("after");
        assertThatThrownBy(() -> store.list(INCOMING, ListOptions.builder().descending().limit(2).after(cursor).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("after");
    }

    // ---------------------------------------------------------------- moveToState

    @Test
    void moveToStateMovesTheMessageAndRecordsUpdateAndNextRetry() {
        insert(message(1).priority(9).header("k", "v").build());

        MessageMetadata moved = store.moveToState(id(1), INCOMING, HOLD, at(30), at(45));

        MessageMetadata expected = message(1).state(HOLD).priority(9).header("k", "v")
                .updated(at(30)).nextRetry(at(45)).build();
        assertThat(moved).isEqualTo(expected);
        assertThat(store.find(id(1))).contains(expected);
    }

    @Test
    void moveToStateWithoutNextRetryKeepsTheStoredOne() {
        insert(message(1).nextRetry(at(77)).build());

        MessageMetadata moved = store.moveToState(id(1), INCOMING, HOLD, at(30), null);

        assertThat(moved.nextRetry()).isEqualTo(at(77));
        assertThat(stored(id(1)).nextRetry()).isEqualTo(at(77));
        assertThat(stored(id(1)).state()).isEqualTo(HOLD);
    }

    @Test
    void moveToStateOfAMessageNotInFromThrowsStateConflictWithTheActualState() {
        MessageMetadata held = insert(message(1).state(HOLD).build());

        assertThatThrownBy(() -> store.moveToState(id(1), INCOMING, ARCHIVED, at(30), null))
                .isInstanceOfSatisfying(StateConflictException.class, conflict -> {
                    assertThat(conflict.actualState()).isEqualTo(HOLD);
                    assertThat(conflict.messageId()).isEqualTo(id(1));
                });
        assertThat(store.find(id(1))).contains(held);
    }

    @Test
    void moveToStateOfAnUnknownIdThrowsMessageNotFound() {
        assertThatThrownBy(() -> store.moveToState(id(404), INCOMING, HOLD, at(30), null))
                .isInstanceOf(MessageNotFoundException.class)
                .hasMessageContaining(id(404));
    }

    @Test
    void aMessageHeldWhileItsAttemptRunsKeepsTheLeaseUntilTheAttemptEnds() {
        insert(message(1).build());
        Claim claim = store.claimById(id(1), EnumSet.of(INCOMING), OWNER, T0, LEASE);

        store.moveToState(id(1), ACTIVE, HOLD, at(10), null);
        MessageMetadata held = stored(id(1));

        assertThat(held.state()).isEqualTo(HOLD);
        assertThat(store.renewLeases(List.of(claim), at(15), LEASE)).as("the attempt still runs").isEmpty();
        assertThatThrownBy(() -> store.moveToState(id(1), HOLD, INCOMING, at(16), at(16)))
                .as("no release while the attempt runs")
                .isInstanceOfSatisfying(StateConflictException.class, conflict -> {
                    assertThat(conflict.actualState()).isEqualTo(HOLD);
                    assertThat(conflict).hasMessageContaining("still runs").hasMessageContaining(OWNER);
                });
        assertThatThrownBy(() -> store.claimById(id(1), EnumSet.of(HOLD), OTHER_OWNER, at(16), LEASE))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("still runs");

        Set<String> stale = store.complete(List.of(ClaimOutcome.update(claim,
                claim.metadata().toBuilder().state(DEFERRED).updated(at(20)).build())));

        assertThat(stale).as("the worker's outcome is discarded").containsExactly(id(1));
        assertThat(store.find(id(1))).contains(held);
        assertThat(store.renewLeases(List.of(claim), at(25), LEASE)).as("the attempt has ended").containsExactly(id(1));
        assertThat(store.moveToState(id(1), HOLD, INCOMING, at(30), at(30)).state()).isEqualTo(INCOMING);
    }

    @Test
    void aMessageHeldWhileItsWorkerDiedCanBeReleasedOnceTheLeaseExpired() throws InterruptedException {
        insert(message(1).build());
        Instant now = Instant.now();
        store.claimById(id(1), EnumSet.of(INCOMING), OWNER, now, SHORT_LEASE);
        store.moveToState(id(1), ACTIVE, HOLD, now, null);
        assertThatThrownBy(() -> store.moveToState(id(1), HOLD, INCOMING, Instant.now(), null))
                .isInstanceOf(StateConflictException.class);

        Thread.sleep(SHORT_LEASE.multipliedBy(2).toMillis());

        assertThat(store.expiredLeases(Instant.now(), 10)).as("a held message is not settled").isEmpty();
        MessageMetadata released = store.moveToState(id(1), HOLD, INCOMING, Instant.now(), null);
        assertThat(released.state()).isEqualTo(INCOMING);
        assertThat(store.claim(request(Instant.now(), 10, CLAIMABLE))).extracting(Claim::id).containsExactly(id(1));
    }

    @Test
    void movingIntoIncomingGivesAFreshBudgetAndKeepsTheCreationTime() {
        insertIn(DEFERRED, message(1).attempts(7).build());
        Claim before = store.claimById(id(1), EnumSet.of(DEFERRED), OWNER, at(1), LEASE);
        assertThat(before.lifetimeStart()).as("a message never released counts its lifetime from its creation")
                .isEqualTo(T0);
        store.complete(List.of(ClaimOutcome.update(before,
                before.metadata().toBuilder().state(BOUNCE).updated(at(2)).build())));

        MessageMetadata requeued = store.moveToState(id(1), BOUNCE, INCOMING, at(50), at(50));
        Claim after = store.claim(request(at(60), 1, CLAIMABLE)).get(0);

        assertThat(requeued.attempts()).isZero();
        assertThat(requeued.created()).isEqualTo(T0);
        assertThat(after.metadata().attempts()).as("the first attempt of the fresh budget").isEqualTo(1);
        assertThat(after.lifetimeStart()).isEqualTo(at(50));
        assertThat(after.metadata().created()).isEqualTo(T0);
    }

    // ---------------------------------------------------------------- countByState

    @Test
    void countByStateHoldsAllSixStatesWhenTheStoreIsEmpty() {
        Map<QueueState, Long> counts = store.countByState();

        assertThat(counts).containsOnlyKeys(QueueState.values());
        assertThat(counts.values()).containsOnly(0L);
    }

    @Test
    void countByStateCountsEveryStateAndIncludesZeros() {
        insert(message(1).build());
        insert(message(2).build());
        insert(message(3).build());
        insert(message(4).build());
        store.claimById(id(4), EnumSet.of(INCOMING), OWNER, T0, LEASE);
        insertIn(DEFERRED, message(5).build());
        insertIn(DEFERRED, message(6).build());
        insert(message(7).state(HOLD).build());
        insertIn(BOUNCE, message(8).build());

        assertThat(store.countByState()).containsExactlyInAnyOrderEntriesOf(Map.of(
                INCOMING, 3L, ACTIVE, 1L, DEFERRED, 2L, HOLD, 1L, BOUNCE, 1L, ARCHIVED, 0L));
    }

    // ---------------------------------------------------------------- claim

    @Test
    void claimTakesOnlyDueMessages() {
        insert(message(1).nextRetry(at(-1)).build());
        insert(message(2).nextRetry(at(0)).build());
        insert(message(3).nextRetry(at(1)).build());

        List<Claim> claims = store.claim(request(T0, 10, CLAIMABLE));

        assertThat(claimedIds(claims)).containsExactlyInAnyOrder(id(1), id(2));
        assertThat(stored(id(3)).state()).isEqualTo(INCOMING);
    }

    @Test
    void claimTakesOnlyTheRequestedStates() {
        insert(message(1).build());
        insertIn(DEFERRED, message(2).build());
        insertIn(BOUNCE, message(3).build());

        List<Claim> deferred = store.claim(request(at(60), 10, EnumSet.of(DEFERRED)));
        List<Claim> others = store.claim(request(at(60), 10, EnumSet.of(INCOMING, BOUNCE)));

        assertThat(claimedIds(deferred)).containsExactly(id(2));
        assertThat(deferred.get(0).claimedFrom()).isEqualTo(DEFERRED);
        assertThat(claimedIds(others)).containsExactlyInAnyOrder(id(1), id(3));
        assertThat(others).extracting(Claim::id, Claim::claimedFrom).containsExactlyInAnyOrder(
                tuple(id(1), INCOMING), tuple(id(3), BOUNCE));
    }

    @Test
    void claimNeverTakesHeldArchivedOrActiveMessages() {
        insert(message(1).state(HOLD).nextRetry(at(-60)).build());
        insertIn(ARCHIVED, message(2).nextRetry(at(-60)).build());
        insert(message(3).nextRetry(at(-60)).build());
        Claim active = store.claimById(id(3), EnumSet.of(INCOMING), OWNER, T0, LEASE);

        List<Claim> claims = store.claim(request(at(3600), 100, CLAIMABLE));

        assertThat(claims).isEmpty();
        assertThat(stored(id(1)).state()).isEqualTo(HOLD);
        assertThat(stored(id(2)).state()).isEqualTo(ARCHIVED);
        assertThat(stored(id(3)).state()).isEqualTo(ACTIVE);
        assertThat(store.renewLeases(List.of(active), at(600), LEASE)).isEmpty();
    }

    @Test
    void claimTakesHigherPriorityFirstThenEarliestNextRetry() {
        insert(message(1).priority(5).nextRetry(at(-10)).build());
        insert(message(2).priority(9).nextRetry(at(-1)).build());
        insert(message(3).priority(5).nextRetry(at(-20)).build());
        insert(message(4).priority(0).nextRetry(at(-30)).build());
        insert(message(5).priority(9).nextRetry(at(-5)).build());
        insertIn(DEFERRED, message(6).priority(7).nextRetry(at(-2)).build());
        insert(message(7).priority(100).nextRetry(at(60)).build());

        List<Claim> claims = store.claim(request(T0, 10, CLAIMABLE));

        assertThat(claimedIds(claims)).containsExactly(id(5), id(2), id(6), id(3), id(1), id(4));
        assertThat(stored(id(7)).state()).isEqualTo(INCOMING);
    }

    @Test
    void claimTakesAtMostTheLimitInDueOrder() {
        for (int n = 1; n <= 5; n++) {
            insert(message(n).priority(n * 10).build());
        }

        List<Claim> first = store.claim(request(T0, 2, CLAIMABLE));
        List<Claim> second = store.claim(request(T0, 2, CLAIMABLE));
        List<Claim> third = store.claim(request(T0, 2, CLAIMABLE));
        List<Claim> fourth = store.claim(request(T0, 2, CLAIMABLE));

        assertThat(claimedIds(first)).containsExactly(id(5), id(4));
        assertThat(claimedIds(second)).containsExactly(id(3), id(2));
        assertThat(claimedIds(third)).containsExactly(id(1));
        assertThat(fourth).isEmpty();
    }

    @Test
    void claimLeasesEachMessageToTheClaimerInStateActiveAndCountsTheAttempt() {
        MessageMetadata incoming = insert(message(1).priority(20).attempts(0).size(99).header("k", "v").build());
        MessageMetadata deferred = insertIn(DEFERRED, message(2).priority(10).attempts(3).retryPolicyName("slow").build());
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        List<Claim> claims = store.claim(new ClaimRequest(EnumSet.of(INCOMING, DEFERRED), now, 10, OWNER, LEASE));

        assertThat(claimedIds(claims)).containsExactly(id(1), id(2));
        Claim first = claims.get(0);
        Claim second = claims.get(1);
        assertThat(first.claimedFrom()).isEqualTo(INCOMING);
        assertThat(second.claimedFrom()).isEqualTo(DEFERRED);
        for (Claim claim : claims) {
            assertThat(claim.metadata().state()).isEqualTo(ACTIVE);
            assertThat(claim.owner()).isEqualTo(OWNER);
            assertThat(claim.leaseUntil()).as("the lease, on the store's clock")
                    .isBetween(now.plus(LEASE).minusSeconds(5), now.plus(LEASE).plusSeconds(5));
            assertThat(claim.token()).isNotBlank();
            assertThat(stored(claim.id()).state()).isEqualTo(ACTIVE);
        }
        assertThat(first.token()).isNotEqualTo(second.token());
        assertThat(first.metadata()).usingRecursiveComparison().ignoringFields("state", "updated", "attempts")
                .isEqualTo(incoming);
        assertThat(second.metadata()).usingRecursiveComparison().ignoringFields("state", "updated", "attempts")
                .isEqualTo(deferred);
        assertThat(first.metadata().attempts()).isEqualTo(1);
        assertThat(second.metadata().attempts()).isEqualTo(4);
        assertThat(stored(id(2)).attempts()).as("counted in the store, not only in the claim").isEqualTo(4);
    }

    @Test
    void claimFromBounceCountsNoDeliveryAttempt() {
        insertIn(BOUNCE, message(1).attempts(10).build());

        Claim claim = store.claim(request(at(5), 1, CLAIMABLE)).get(0);

        assertThat(claim.claimedFrom()).isEqualTo(BOUNCE);
        assertThat(claim.metadata().attempts()).isEqualTo(10);
        assertThat(claim.isDelivery()).isFalse();
    }

    @Test
    void claimGivesEveryClaimOfOneMessageANewToken() {
        insert(message(1).build());
        Claim first = store.claim(request(T0, 1, CLAIMABLE)).get(0);
        store.complete(List.of(ClaimOutcome.update(first,
                first.metadata().toBuilder().state(DEFERRED).nextRetry(at(300)).updated(at(1)).build())));

        Claim second = store.claim(request(at(400), 1, CLAIMABLE)).get(0);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.token()).isNotEqualTo(first.token());
    }

    @Test
    void claimedMessageIsNotClaimedAgain() {
        insert(message(1).build());
        insertIn(DEFERRED, message(2).build());
        assertThat(store.claim(request(T0, 10, CLAIMABLE))).hasSize(2);

        assertThat(store.claim(request(at(3600), 10, CLAIMABLE))).isEmpty();
    }

    // ---------------------------------------------------------------- claimById

    @Test
    void claimByIdTakesAMessageFromAnAllowedStateEvenIfItIsNotDue() {
        insertIn(DEFERRED, message(1).nextRetry(at(3600)).build());
        insert(message(2).state(HOLD).build());

        Claim deferred = store.claimById(id(1), EnumSet.of(INCOMING, DEFERRED), OWNER, T0, LEASE);
        Claim held = store.claimById(id(2), EnumSet.of(HOLD), OTHER_OWNER, T0, LEASE);

        assertThat(deferred.claimedFrom()).isEqualTo(DEFERRED);
        assertThat(deferred.metadata().state()).isEqualTo(ACTIVE);
        assertThat(deferred.metadata().attempts()).isEqualTo(1);
        assertThat(deferred.owner()).isEqualTo(OWNER);
        assertThat(held.claimedFrom()).isEqualTo(HOLD);
        assertThat(held.owner()).isEqualTo(OTHER_OWNER);
        assertThat(held.token()).isNotEqualTo(deferred.token());
        assertThat(stored(id(1)).state()).isEqualTo(ACTIVE);
        assertThat(stored(id(2)).state()).isEqualTo(ACTIVE);
    }

    @Test
    void claimByIdOfAMessageInAnotherStateThrowsStateConflict() {
        MessageMetadata held = insert(message(1).state(HOLD).build());
        insert(message(2).build());
        Claim active = store.claimById(id(2), EnumSet.of(INCOMING), OWNER, T0, LEASE);

        assertThatThrownBy(() -> store.claimById(id(1), EnumSet.of(INCOMING, DEFERRED), OWNER, T0, LEASE))
                .isInstanceOfSatisfying(StateConflictException.class, conflict -> {
                    assertThat(conflict.actualState()).isEqualTo(HOLD);
                    assertThat(conflict.messageId()).isEqualTo(id(1));
                });
        assertThatThrownBy(() -> store.claimById(id(2), EnumSet.of(INCOMING), OTHER_OWNER, T0, LEASE))
                .isInstanceOfSatisfying(StateConflictException.class,
                        conflict -> assertThat(conflict.actualState()).isEqualTo(ACTIVE));
        assertThat(store.find(id(1))).contains(held);
        assertThat(store.renewLeases(List.of(active), at(600), LEASE)).as("the first claim is still held").isEmpty();
    }

    @Test
    void claimByIdOfAnUnknownIdThrowsMessageNotFound() {
        assertThatThrownBy(() -> store.claimById(id(404), CLAIMABLE, OWNER, T0, LEASE))
                .isInstanceOf(MessageNotFoundException.class)
                .hasMessageContaining(id(404));
    }

    // ---------------------------------------------------------------- renewLeases

    @Test
    void renewingAHeldLeaseExtendsIt() throws InterruptedException {
        insert(message(1).build());
        Claim claim = store.claimById(id(1), EnumSet.of(INCOMING), OWNER, Instant.now(), SHORT_LEASE);

        Set<String> lost = store.renewLeases(List.of(claim), Instant.now(), LONG_LEASE);
        Thread.sleep(SHORT_LEASE.multipliedBy(2).toMillis());

        assertThat(lost).isEmpty();
        assertThat(store.expiredLeases(Instant.now(), 10)).isEmpty();
        assertThat(stored(id(1)).state()).isEqualTo(ACTIVE);
        assertThat(store.renewLeases(List.of(claim), Instant.now(), SHORT_LEASE)).isEmpty();
        awaitExpired(id(1));
    }

    @Test
    void renewLeasesReportsTheClaimsThatAreNoLongerHeld() {
        for (int n = 1; n <= 4; n++) {
            insert(message(n).build());
        }
        Instant now = Instant.now();
        Claim expired = store.claimById(id(1), EnumSet.of(INCOMING), OWNER, now, SHORT_LEASE);
        Claim deleted = store.claimById(id(2), EnumSet.of(INCOMING), OWNER, now, LONG_LEASE);
        Claim reclaimed = store.claimById(id(3), EnumSet.of(INCOMING), OWNER, now, SHORT_LEASE);
        Claim held = store.claimById(id(4), EnumSet.of(INCOMING), OWNER, now, LONG_LEASE);
        awaitExpired(id(1), id(3));
        assertThat(store.settleExpiredLeases(List.of(deferredNow(expired), deferredNow(reclaimed)), Instant.now()))
                .isEmpty();
        store.claimById(id(3), EnumSet.of(DEFERRED), OTHER_OWNER, Instant.now(), LONG_LEASE);
        store.delete(id(2));

        Set<String> lost = store.renewLeases(List.of(expired, deleted, reclaimed, held), Instant.now(), LONG_LEASE);

        assertThat(lost).containsExactlyInAnyOrder(id(1), id(2), id(3));
        assertThat(stored(id(4)).state()).as("the held lease was renewed").isEqualTo(ACTIVE);
    }

    // ---------------------------------------------------------------- expiredLeases, settleExpiredLeases

    @Test
    void expiredLeasesFindsOnlyClaimsWhoseLeaseEndedAndChangesNothing() {
        insert(message(1).header("k", "v").build());
        insert(message(2).build());
        Instant now = Instant.now();
        store.claimById(id(1), EnumSet.of(INCOMING), OWNER, now, SHORT_LEASE);
        store.claimById(id(2), EnumSet.of(INCOMING), OWNER, now, LONG_LEASE);

        awaitExpired(id(1));
        List<Claim> expired = store.expiredLeases(Instant.now(), 10);

        assertThat(expired).extracting(Claim::id).containsExactly(id(1));
        Claim claim = expired.get(0);
        assertThat(claim.claimedFrom()).isEqualTo(INCOMING);
        assertThat(claim.owner()).isEqualTo(OWNER);
        assertThat(claim.metadata().attempts()).isEqualTo(1);
        assertThat(claim.metadata().headers()).containsEntry("k", "v");
        assertThat(claim.lifetimeStart()).isEqualTo(T0);
        assertThat(stored(id(1)).state()).as("finding expired leases changes nothing").isEqualTo(ACTIVE);
        assertThat(store.expiredLeases(Instant.now(), 10)).extracting(Claim::id).containsExactly(id(1));
    }

    @ParameterizedTest
    @EnumSource(value = QueueState.class, names = {"INCOMING", "DEFERRED", "BOUNCE"})
    void anExpiredClaimTellsWhereItCameFromAndWhetherItCountedAnAttempt(QueueState from) {
        insertIn(from, message(1).attempts(3).lastError("boom").build());
        store.claim(new ClaimRequest(CLAIMABLE, Instant.now(), 10, OWNER, SHORT_LEASE));

        Claim expired = awaitExpired(id(1)).get(0);

        assertThat(expired.claimedFrom()).isEqualTo(from);
        assertThat(expired.metadata().attempts()).isEqualTo(from == BOUNCE ? 3 : 4);
        assertThat(expired.metadata().lastError()).isEqualTo("boom");
    }

    @Test
    void settlingWritesTheOutcomeOnlyWhileTheClaimIsUnchangedAndItsLeaseStillExpired() {
        for (int n = 1; n <= 4; n++) {
            insert(message(n).priority(10 - n).build());
        }
        List<Claim> claims = store.claim(new ClaimRequest(CLAIMABLE, Instant.now(), 4, OWNER, SHORT_LEASE));
        assertThat(claimedIds(claims)).containsExactly(id(1), id(2), id(3), id(4));
        awaitExpired(id(1), id(2), id(3), id(4));
        assertThat(store.renewLeases(List.of(claims.get(1)), Instant.now(), LONG_LEASE)).isEmpty();
        assertThat(store.complete(List.of(ClaimOutcome.delete(claims.get(2))))).isEmpty();
        store.moveToState(id(4), ACTIVE, HOLD, Instant.now(), null);

        Set<String> stale = store.settleExpiredLeases(claims.stream().map(this::deferredNow).toList(), Instant.now());

        assertThat(stale).as("renewed, completed, or held meanwhile").containsExactlyInAnyOrder(id(2), id(3), id(4));
        MessageMetadata settled = stored(id(1));
        assertThat(settled.state()).isEqualTo(DEFERRED);
        assertThat(settled.lastError()).isEqualTo("lease expired");
        assertThat(settled.attempts()).isEqualTo(1);
        assertThat(stored(id(2)).state()).as("a renewal that came first wins").isEqualTo(ACTIVE);
        assertThat(stored(id(4)).state()).isEqualTo(HOLD);
        assertThat(store.settleExpiredLeases(List.of(deferredNow(claims.get(0))), Instant.now()))
                .as("settled once").containsExactly(id(1));
        assertThat(store.renewLeases(List.of(claims.get(0)), Instant.now(), LONG_LEASE)).containsExactly(id(1));
    }

    @Test
    void settlingRejectsADeletion() {
        insert(message(1).build());
        Claim claim = store.claim(request(T0, 1, CLAIMABLE)).get(0);

        assertThatThrownBy(() -> store.settleExpiredLeases(List.of(ClaimOutcome.delete(claim)), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("outcomes:");
        assertThat(stored(id(1)).state()).isEqualTo(ACTIVE);
    }

    // ---------------------------------------------------------------- deleteArchived

    @Test
    void deleteArchivedDeletesArchivedMessagesLastUpdatedBeforeTheCutoffOldestFirst() {
        insertIn(ARCHIVED, message(1).updated(at(10)).build());
        insertIn(ARCHIVED, message(2).updated(at(30)).build());
        insertIn(ARCHIVED, message(3).updated(at(20)).build());
        insertIn(ARCHIVED, message(4).updated(at(100)).build());
        insertIn(DEFERRED, message(5).updated(at(1)).build());
        insertIn(BOUNCE, message(6).updated(at(1)).build());

        List<String> first = store.deleteArchived(at(50), 2);
        List<String> second = store.deleteArchived(at(50), 2);

        assertThat(first).containsExactlyInAnyOrder(id(1), id(3));
        assertThat(second).containsExactly(id(2));
        assertThat(store.deleteArchived(at(50), 2)).isEmpty();
        assertThat(store.find(id(4))).as("newer than the cutoff").isPresent();
        assertThat(store.countByState()).containsEntry(ARCHIVED, 1L).containsEntry(DEFERRED, 1L)
                .containsEntry(BOUNCE, 1L);
    }

    // ---------------------------------------------------------------- complete

    @Test
    void completeWithADeleteOutcomeRemovesTheMessage() {
        insert(message(1).build());
        Claim claim = store.claim(request(T0, 1, CLAIMABLE)).get(0);

        Set<String> stale = store.complete(List.of(ClaimOutcome.delete(claim)));

        assertThat(stale).isEmpty();
        assertThat(store.find(id(1))).isEmpty();
        assertThat(store.countByState().values()).containsOnly(0L);
    }

    @Test
    void completeWithAnUpdateOutcomeWritesTheResultAndKeepsTheOtherFields() {
        MessageMetadata original = insert(message(1).priority(42).maxAttempts(7).size(512).retryPolicyName("slow")
                .header("a", "1").header("b", "2").build());
        Claim claim = store.claim(request(at(1), 1, CLAIMABLE)).get(0);
        MessageMetadata result = claim.metadata().toBuilder()
                .state(DEFERRED).attempts(1).nextRetry(at(900)).lastError("java.io.IOException: refused")
                .clearHeaders().header("b", "20").header("c", "3").updated(at(2))
                // fields an outcome does not write
                .priority(1).maxAttempts(99).size(1).retryPolicyName("fast").created(at(-100))
                .build();

        Set<String> stale = store.complete(List.of(ClaimOutcome.update(claim, result)));

        assertThat(stale).isEmpty();
        MessageMetadata expected = original.toBuilder()
                .state(DEFERRED).attempts(1).nextRetry(at(900)).lastError("java.io.IOException: refused")
                .clearHeaders().header("b", "20").header("c", "3").updated(at(2)).build();
        assertThat(store.find(id(1))).contains(expected);
        assertThat(stored(id(1)).headers().keySet()).containsExactly("b", "c");
    }

    @ParameterizedTest
    @EnumSource(ArchiveReason.class)
    void completeWithAnArchivingOutcomeStoresTheArchiveReason(ArchiveReason reason) {
        insert(message(1).build());
        insert(message(2).build());
        List<Claim> claims = store.claim(request(at(1), 2, CLAIMABLE));
        assertThat(claims).allSatisfy(claim -> assertThat(claim.metadata().archivedAs()).isNull());

        Set<String> stale = store.complete(List.of(
                ClaimOutcome.update(claims.get(0), archived(claims.get(0), reason)),
                ClaimOutcome.update(claims.get(1), claims.get(1).metadata().toBuilder().state(DEFERRED)
                        .nextRetry(at(900)).updated(at(2)).build())));

        assertThat(stale).isEmpty();
        assertThat(stored(claims.get(0).id()).archivedAs()).isEqualTo(reason);
        assertThat(stored(claims.get(1).id()).archivedAs()).isNull();
        assertThat(store.list(ARCHIVED, ListOptions.builder().build()).items())
                .extracting(message -> message.metadata().archivedAs()).containsExactly(reason);
    }

    @Test
    void updateKeepsTheArchiveReason() {
        Claim claim = store.claimById(insert(message(1).build()).id(), EnumSet.of(INCOMING), OWNER, at(1), LEASE);
        store.complete(List.of(ClaimOutcome.update(claim, archived(claim, ArchiveReason.BOUNCED))));

        MessageMetadata updated = store.update(id(1), current -> current.withPriority(80).withUpdated(at(3)));

        assertThat(updated.archivedAs()).isEqualTo(ArchiveReason.BOUNCED);
        assertThat(stored(id(1))).isEqualTo(updated);
    }

    @Test
    void movingAnArchivedMessageClearsItsArchiveReason() {
        for (int n = 1; n <= 2; n++) {
            Claim claim = store.claimById(insert(message(n).build()).id(), EnumSet.of(INCOMING), OWNER, at(1), LEASE);
            store.complete(List.of(ClaimOutcome.update(claim, archived(claim, ArchiveReason.DELIVERED))));
        }

        MessageMetadata requeued = store.moveToState(id(1), ARCHIVED, INCOMING, at(50), at(50));
        MessageMetadata held = store.moveToState(id(2), ARCHIVED, HOLD, at(50), null);

        assertThat(requeued.archivedAs()).isNull();
        assertThat(stored(id(1)).archivedAs()).isNull();
        assertThat(held.archivedAs()).isNull();
        assertThat(stored(id(2)).archivedAs()).isNull();
        assertThat(store.claim(request(at(60), 1, CLAIMABLE)).get(0).metadata().archivedAs()).isNull();
    }

    @Test
    void completeEndsTheClaim() {
        insert(message(1).build());
        Claim claim = store.claim(request(T0, 1, CLAIMABLE)).get(0);
        store.complete(List.of(ClaimOutcome.update(claim,
                claim.metadata().toBuilder().state(DEFERRED).attempts(1).nextRetry(at(900)).updated(at(1)).build())));
        MessageMetadata deferred = stored(id(1));

        Set<String> secondWrite = store.complete(List.of(ClaimOutcome.update(claim,
                claim.metadata().toBuilder().state(BOUNCE).attempts(2).updated(at(2)).build())));

        assertThat(secondWrite).containsExactly(id(1));
        assertThat(store.find(id(1))).contains(deferred);
        assertThat(store.renewLeases(List.of(claim), at(1000), LEASE)).containsExactly(id(1));
        assertThat(store.expiredLeases(claim.leaseUntil().plusSeconds(1), 10)).isEmpty();
        assertThat(stored(id(1)).state()).isEqualTo(DEFERRED);
    }

    @Test
    void completeWithAStaleTokenWritesNothing() {
        insert(message(1).build());
        Claim lost = store.claim(new ClaimRequest(CLAIMABLE, Instant.now(), 1, OWNER, SHORT_LEASE)).get(0);
        awaitExpired(id(1));
        assertThat(store.settleExpiredLeases(List.of(deferredNow(lost)), Instant.now())).isEmpty();
        Claim current = store.claim(new ClaimRequest(CLAIMABLE, Instant.now(), 1, OTHER_OWNER, LEASE)).get(0);
        MessageMetadata reclaimed = stored(id(1));

        Set<String> stale = store.complete(List.of(ClaimOutcome.delete(lost)));
        Set<String> staleUpdate = store.complete(List.of(ClaimOutcome.update(lost,
                lost.metadata().toBuilder().state(BOUNCE).attempts(5).updated(at(5)).build())));

        assertThat(stale).containsExactly(id(1));
        assertThat(staleUpdate).containsExactly(id(1));
        assertThat(store.find(id(1))).contains(reclaimed);
        assertThat(store.complete(List.of(ClaimOutcome.delete(current)))).isEmpty();
        assertThat(store.find(id(1))).isEmpty();
    }

    @Test
    void completeOfADeletedMessageIsReportedStaleAndDoesNotBringItBack() {
        insert(message(1).build());
        Claim claim = store.claim(request(T0, 1, CLAIMABLE)).get(0);
        store.delete(id(1));

        Set<String> stale = store.complete(List.of(ClaimOutcome.update(claim,
                claim.metadata().toBuilder().state(DEFERRED).updated(at(1)).build())));

        assertThat(stale).containsExactly(id(1));
        assertThat(store.find(id(1))).isEmpty();
    }

    @Test
    void completeWritesSeveralOutcomesInOneCall() {
        for (int n = 1; n <= 3; n++) {
            insert(message(n).priority(10 - n).build());
        }
        List<Claim> claims = store.claim(request(T0, 3, CLAIMABLE));
        assertThat(claimedIds(claims)).containsExactly(id(1), id(2), id(3));
        store.moveToState(id(3), ACTIVE, HOLD, at(1), null);

        Set<String> stale = store.complete(List.of(
                ClaimOutcome.delete(claims.get(0)),
                ClaimOutcome.update(claims.get(1), claims.get(1).metadata().toBuilder()
                        .state(DEFERRED).attempts(1).nextRetry(at(600)).updated(at(2)).build()),
                ClaimOutcome.update(claims.get(2), claims.get(2).metadata().toBuilder()
                        .state(DEFERRED).attempts(1).nextRetry(at(600)).updated(at(2)).build())));

        assertThat(stale).containsExactly(id(3));
        assertThat(store.find(id(1))).isEmpty();
        assertThat(stored(id(2)).state()).isEqualTo(DEFERRED);
        assertThat(stored(id(2)).attempts()).isEqualTo(1);
        assertThat(stored(id(3)).state()).as("the operator's HOLD is not overwritten").isEqualTo(HOLD);
        assertThat(stored(id(3)).attempts()).as("the attempt the claim counted").isEqualTo(1);
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    void concurrentClaimersNeverReceiveTheSameMessageTwice() throws Exception {
        int total = 20_000;
        List<NewMessage> batch = new ArrayList<>();
        for (int n = 0; n < total; n++) {
            batch.add(new NewMessage(message(n).priority(n % 10).nextRetry(T0.minusMillis(n % 997)).build(), null));
            if (batch.size() == 1_000) {
                store.storeAll(batch);
                batch.clear();
            }
        }
        MetaStore other = anotherClientOf(store);
        Set<String> received = ConcurrentHashMap.newKeySet();
        Queue<String> duplicates = new ConcurrentLinkedQueue<>();
        AtomicInteger claimCount = new AtomicInteger();

        Concurrently.run(8, worker -> {
            MetaStore client = worker % 2 == 0 ? store : other;
            String owner = "worker-" + worker;
            List<Claim> claims;
            do {
                claims = client.claim(new ClaimRequest(CLAIMABLE, at(60), 50, owner, LEASE));
                for (Claim claim : claims) {
                    claimCount.incrementAndGet();
                    if (!received.add(claim.id())) {
                        duplicates.add(claim.id());
                    }
                }
            } while (!claims.isEmpty());
        });

        assertThat(duplicates).isEmpty();
        assertThat(claimCount).hasValue(total);
        assertThat(received).hasSize(total);
        assertThat(store.countByState()).containsEntry(ACTIVE, (long) total).containsEntry(INCOMING, 0L);
    }

    // ---------------------------------------------------------------- counts with an exact-count limit

    @Test
    void countsWithinTheLimitAreExact() {
        insertMany(INCOMING, 3, 0, Map.of());
        insertMany(DEFERRED, 2, 100, Map.of());

        QueueCounts counts = store.countByState(5);

        assertThat(counts.byState()).containsEntry(INCOMING, Count.exact(3)).containsEntry(DEFERRED, Count.exact(2))
                .containsEntry(ARCHIVED, Count.ZERO);
        assertThat(store.countInState(DEFERRED, 2)).isEqualTo(Count.exact(2));
        Page<Message> page = store.list(DEFERRED, ListOptions.builder().limit(1).build(), 5);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.totalEstimated()).isFalse();
        assertThat(store.countMatching(MessageSelection.allIn(INCOMING), 3)).isEqualTo(Count.exact(3));
    }

    @Test
    void countsBeyondTheLimitAreEstimatesWhereTheStoreEstimatesAndExactOtherwise() {
        insertMany(DEFERRED, 40, 0, Map.of());
        insertMany(HOLD, 3, 1000, Map.of());
        refreshStatistics();

        QueueCounts counts = store.countByState(10);
        Count inState = store.countInState(DEFERRED, 10);
        Page<Message> page = store.list(DEFERRED, ListOptions.builder().limit(5).build(), 10);

        assertThat(counts.get(HOLD)).isEqualTo(Count.exact(3));
        for (Count count : List.of(counts.get(DEFERRED), inState, new Count(page.total(), page.totalEstimated()))) {
            if (estimatesBeyondLimit()) {
                assertThat(count.estimated()).as("%s", count).isTrue();
                assertThat(count.value()).as("an estimate from fresh statistics").isBetween(30L, 50L);
            } else {
                assertThat(count).isEqualTo(Count.exact(40));
            }
        }
        assertThat(page.items()).hasSize(5);
        assertThat(store.countByState(Long.MAX_VALUE).get(DEFERRED)).isEqualTo(Count.exact(40));
    }

    @Test
    void countMatchingBeyondTheLimitScalesTheShareOfMatchesAmongTheOldest() {
        for (int n = 0; n < 40; n++) {
            insertIn(DEFERRED, message(n).created(at(n)).headers(Map.of("tenant", n % 2 == 0 ? "a" : "b")).build());
        }
        refreshStatistics();
        MessageSelection tenantA = new MessageSelection(DEFERRED, Map.of("tenant", "a"), null, null, null);
        MessageSelection olderTenantA = new MessageSelection(DEFERRED, Map.of("tenant", "a"), at(30), null, null);

        Count all = store.countMatching(tenantA, 10);
        Count older = store.countMatching(olderTenantA, 10);

        assertThat(store.countMatching(tenantA, 40)).isEqualTo(Count.exact(20));
        assertThat(store.countMatching(olderTenantA, 30)).isEqualTo(Count.exact(15));
        if (estimatesBeyondLimit()) {
            assertThat(all.estimated()).isTrue();
            assertThat(all.value()).as("6 of the 11 oldest match, of about 40").isBetween(15L, 28L);
            assertThat(older.estimated()).isTrue();
            assertThat(older.value()).as("6 of the 11 oldest match, of about 40 less the 10 younger").isBetween(10L, 21L);
        } else {
            assertThat(all).isEqualTo(Count.exact(20));
            assertThat(older).isEqualTo(Count.exact(15));
        }
    }

    @Test
    void backlogBeyondTheLimitEstimatesTheBucketsThatReachTheirShare() {
        Instant now = at(1_000_000);
        int n = 0;
        for (int i = 0; i < 2; i++) {
            insertIn(DEFERRED, message(n++).created(now.minus(Duration.ofMinutes(1))).build());
        }
        for (int i = 0; i < 4; i++) {
            insertIn(DEFERRED, message(n++).created(now.minus(Duration.ofMinutes(30))).build());
        }
        for (int i = 0; i < 20; i++) {
            insertIn(DEFERRED, message(n++).created(now.minus(Duration.ofMinutes(700 + i))).build());
        }
        for (int i = 0; i < 40; i++) {
            insertIn(DEFERRED, message(n++).created(now.minus(Duration.ofMinutes(2000 + 10 * i))).build());
        }
        insertMany(HOLD, 3, 10_000, Map.of());
        refreshStatistics();

        BacklogShape shape = store.backlog(now, 50);

        assertThat(shape.counts(HOLD).stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(shape.count(DEFERRED, 0)).isEqualTo(2);
        assertThat(shape.count(DEFERRED, 3)).isEqualTo(4);
        assertThat(shape.estimated(DEFERRED, 0)).isFalse();
        if (estimatesBeyondLimit()) {
            assertThat(shape.estimated(DEFERRED, 8)).isTrue();
            assertThat(shape.estimated(DEFERRED, 9)).isTrue();
            assertThat(shape.count(DEFERRED, 8)).as("each share is 5; more than that").isGreaterThan(5);
            assertThat(shape.count(DEFERRED, 9)).as("twice as many in the sample").isGreaterThan(
                    shape.count(DEFERRED, 8));
            assertThat(shape.total(DEFERRED)).as("about the 66 the statistics know").isBetween(50L, 80L);
        } else {
            assertThat(shape).isEqualTo(store.backlog(now));
            assertThat(shape.anyEstimated()).isFalse();
        }
    }

    // ---------------------------------------------------------------- activity per minute

    @Test
    void activityAddsUpPerInstanceAndSumsTheInstancesPerMinute() {
        Instant minute = T0.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant next = minute.plusSeconds(60);

        store.recordActivity("a", List.of(new ActivityMinute(minute, 1, 2, 3, 4), new ActivityMinute(next, 0, 1, 0, 0)));
        store.recordActivity("a", List.of(new ActivityMinute(minute, 10, 20, 30, 40)));
        store.recordActivity("b", List.of(new ActivityMinute(minute, 100, 200, 300, 400)));
        store.recordActivity("b", List.of());

        assertThat(store.activity(minute)).containsExactly(new ActivityMinute(minute, 111, 222, 333, 444),
                new ActivityMinute(next, 0, 1, 0, 0));
        assertThat(store.activity(next)).containsExactly(new ActivityMinute(next, 0, 1, 0, 0));
        assertThat(store.activity(next.plusSeconds(60))).isEmpty();
    }

    @Test
    void pruningActivityDeletesTheMinutesBeforeTheGivenOne() {
        Instant minute = T0.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        store.recordActivity("a", List.of(new ActivityMinute(minute, 1, 0, 0, 0),
                new ActivityMinute(minute.plusSeconds(60), 2, 0, 0, 0)));

        store.pruneActivity(minute.plusSeconds(60));

        assertThat(store.activity(minute.minusSeconds(3600)))
                .containsExactly(new ActivityMinute(minute.plusSeconds(60), 2, 0, 0, 0));
    }

    // ---------------------------------------------------------------- helpers

    /** Stores {@code count} messages in {@code state}, numbered from {@code first}, created a second apart. */
    private void insertMany(QueueState state, int count, int first, Map<String, String> headers) {
        for (int n = first; n < first + count; n++) {
            insertIn(state, message(n).created(at(n)).headers(headers).build());
        }
    }

    private MessageMetadata insert(MessageMetadata metadata) {
        assertThat(store.store(new NewMessage(metadata, null))).isEqualTo(new StoreResult(metadata.id(), true));
        return metadata;
    }

    /** Stores a message INCOMING and moves it to {@code state} (not ACTIVE), keeping its update and next retry times. */
    private MessageMetadata insertIn(QueueState state, MessageMetadata metadata) {
        MessageMetadata incoming = insert(metadata.withState(INCOMING));
        if (state == INCOMING) {
            return incoming;
        }
        return store.moveToState(metadata.id(), INCOMING, state, metadata.updated(), metadata.nextRetry());
    }

    private MessageMetadata stored(String id) {
        return store.find(id).orElseThrow(() -> new AssertionError("message " + id + " is not stored"));
    }

    private static ClaimRequest request(Instant now, int limit, Set<QueueState> states) {
        return new ClaimRequest(states, now, limit, OWNER, LEASE);
    }

    /** Waits (a few seconds at most) until the leases of these messages, and only these, have expired. */
    private List<Claim> awaitExpired(String... ids) {
        return org.awaitility.Awaitility.await("leases of " + List.of(ids) + " expired")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> store.expiredLeases(Instant.now(), 100),
                        expired -> claimedIds(expired).containsAll(List.of(ids)));
    }

    /** The outcome a reaper would write for an expired claim: deferred, due at once. */
    private ClaimOutcome deferredNow(Claim claim) {
        return ClaimOutcome.update(claim, claim.metadata().toBuilder().state(DEFERRED).nextRetry(at(0))
                .lastError("lease expired").updated(at(1)).build());
    }

    /** What the spool writes when it archives a claimed message for a reason. */
    private static MessageMetadata archived(Claim claim, ArchiveReason reason) {
        return claim.metadata().toBuilder().state(ARCHIVED).archivedAs(reason).updated(at(2)).build();
    }

    private static List<String> claimedIds(List<Claim> claims) {
        return claims.stream().map(Claim::id).toList();
    }

    private static List<String> ids(Page<Message> page) {
        return page.items().stream().map(Message::id).toList();
    }

    @Test
    void oldestDueIsTheEarliestDueTimeAmongIncomingAndDeferred() {
        store.storeAll(List.of(
                new NewMessage(message(1).priority(9).nextRetry(at(30)).build(), null),
                new NewMessage(message(2).priority(1).nextRetry(at(10)).build(), null),
                new NewMessage(message(3).state(DEFERRED).priority(5).nextRetry(at(20)).build(), null),
                new NewMessage(message(4).state(HOLD).nextRetry(at(1)).build(), null),
                new NewMessage(message(5).state(BOUNCE).nextRetry(at(2)).build(), null),
                new NewMessage(message(6).state(DEFERRED).nextRetry(at(500)).build(), null)));

        assertThat(store.oldestDue(at(5))).isEmpty();
        assertThat(store.oldestDue(at(25))).contains(at(10));
        assertThat(store.oldestDue(at(1000))).contains(at(10));
    }

    @Test
    void oldestDueIsEmptyForAnEmptyStore() {
        assertThat(store.oldestDue(at(1000))).isEmpty();
    }


    // ---------------------------------------------------------------- backlog

    @Test
    void backlogCountsEachQueueStateByAgeSinceCreatedAndLeavesArchivedOut() {
        Instant now = at(100_000);
        insertIn(INCOMING, message(1).created(now.minus(Duration.ofMinutes(1))).build());
        insertIn(INCOMING, message(2).created(now.minus(Duration.ofMinutes(7))).build());
        insertIn(DEFERRED, message(3).created(now.minus(Duration.ofMinutes(30))).build());
        insertIn(DEFERRED, message(4).created(now.minus(Duration.ofMinutes(35))).build());
        insertIn(HOLD, message(5).created(now.minus(Duration.ofMinutes(300))).build());
        insertIn(BOUNCE, message(6).created(now.minus(Duration.ofDays(3))).build());
        insertIn(ARCHIVED, message(7).created(now.minus(Duration.ofMinutes(1))).build());
        insert(message(8).created(now.minus(Duration.ofMinutes(100))).build());
        store.claimById(id(8), Set.of(INCOMING), OWNER, now, LEASE);

        BacklogShape shape = store.backlog(now);

        assertThat(shape.takenAt()).isEqualTo(now);
        assertThat(shape.counts(INCOMING)).containsExactly(1L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(shape.counts(DEFERRED)).containsExactly(0L, 0L, 0L, 2L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(shape.counts(HOLD)).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L);
        assertThat(shape.counts(BOUNCE)).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L);
        assertThat(shape.counts(ACTIVE)).as("created 100 minutes ago, whenever it was claimed")
                .containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L);
    }

    @Test
    void backlogBucketsIncludeTheirUpperBoundAndExcludeTheBoundBefore() {
        Instant now = at(100_000);
        int n = 0;
        for (Duration bound : BacklogShape.UPPER_BOUNDS) {
            insert(message(n++).state(DEFERRED).created(now.minus(bound)).build());
            insert(message(n++).state(HOLD).created(now.minus(bound).minusMillis(1)).build());
        }

        BacklogShape shape = store.backlog(now);

        for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
            assertThat(shape.count(DEFERRED, bucket)).as("DEFERRED aged exactly the bound of bucket %s", bucket)
                    .isEqualTo(bucket < BacklogShape.BUCKETS - 1 ? 1 : 0);
            assertThat(shape.count(HOLD, bucket)).as("HOLD aged a millisecond past the bound before bucket %s", bucket)
                    .isEqualTo(bucket > 0 ? 1 : 0);
        }
    }

    @Test
    void backlogCountsAMessageCreatedAfterNowAsAgeZero() {
        Instant now = at(100_000);
        insert(message(1).created(now.plusSeconds(30)).build());
        insert(message(2).created(now).build());

        assertThat(store.backlog(now).count(INCOMING, 0)).isEqualTo(2);
    }

    @Test
    void backlogOfAnEmptyStoreIsAllZeros() {
        BacklogShape shape = store.backlog(at(100));

        assertThat(shape).isEqualTo(BacklogShape.builder(at(100)).build());
    }
}
