package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The bulk verbs ({@link RetrySpool#count(MessageFilter)}, {@link RetrySpool#moveAll}, {@link RetrySpool#deleteAll})
 * and the filtered listing ({@link RetrySpool#list(MessageFilter, ListOptions)}) through the engine, on a pair of
 * stores: more messages than one batch holds, the same side effects as single moves, bodies deleted, ACTIVE messages
 * never touched, workers delivering while a bulk move runs, and listing pages that examine a bounded number of
 * messages. Each store
 * implementation extends this class.
 */
public abstract class AbstractBulkActionBehaviourTests {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** More than one batch of the bulk verbs (500 messages). */
    private static final int MORE_THAN_A_BATCH = 1_201;

    protected MutableClock clock;
    protected SpoolStore store;
    protected MetaStore metaStore;
    protected DataStore dataStore;
    private final List<RetrySpool> spools = new ArrayList<>();

    /**
     * Creates an empty store for one test, as an application would build it; {@code clock} is set by then.
     *
     * @return the store
     */
    protected abstract SpoolStore createStore();

    /** Releases what the stores hold once every spool of the test is closed. Does nothing by default. */
    protected void closeStores() {
    }

    @BeforeEach
    void createStores() {
        clock = new MutableClock(START);
        store = createStore();
        metaStore = store.meta();
        dataStore = store.bodies();
    }

    @AfterEach
    void closeSpoolsThenStores() {
        try {
            spools.forEach(RetrySpool::close);
        } finally {
            closeStores();
        }
    }

    @Test
    void moveAllMovesEveryMatchingMessageAcrossSeveralBatches() {
        RetrySpool spool = spool(b -> { });
        enqueue(spool, MORE_THAN_A_BATCH, "tenant", "acme");
        enqueue(spool, 3, "tenant", "other");
        MessageFilter acme = MessageFilter.builder().headerEquals("tenant", "acme").build();

        assertThat(spool.count(acme)).isEqualTo(MORE_THAN_A_BATCH);
        assertThat(spool.moveAll(acme, QueueState.HOLD)).isEqualTo(MORE_THAN_A_BATCH);

        assertThat(spool.counts()).containsEntry(QueueState.HOLD, (long) MORE_THAN_A_BATCH)
                .containsEntry(QueueState.INCOMING, 3L);
        assertThat(spool.moveAll(acme, QueueState.HOLD)).as("nothing left to move").isZero();
    }

    @Test
    void aDestinationFilterCountsListsAndHoldsOnlyThatDestinationsMessagesInItsState() {
        RetrySpool spool = spool(b -> { });
        List<String> hooks = enqueueTo(spool, 3, "hooks.example.com");
        enqueueTo(spool, 2, "other.example.com");
        enqueue(spool, 2, "tenant", "acme");
        List<String> held = enqueueTo(spool, 1, "hooks.example.com");
        held.forEach(id -> spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD));
        MessageFilter incoming = MessageFilter.builder().state(QueueState.INCOMING).destination("hooks.example.com")
                .build();

        Page<Message> listed = spool.list(incoming, ListOptions.defaults());
        long moved = spool.moveAll(incoming, QueueState.DEFERRED);

        assertThat(ids(listed)).containsExactlyInAnyOrderElementsOf(hooks);
        assertThat(listed.total()).as("a destination criterion is not counted").isEqualTo(Page.UNKNOWN_TOTAL);
        assertThat(moved).isEqualTo(3);
        assertThat(spool.count(MessageFilter.builder().destination("hooks.example.com").build())).isEqualTo(4);
        assertThat(spool.counts()).containsEntry(QueueState.DEFERRED, 3L).containsEntry(QueueState.INCOMING, 4L)
                .containsEntry(QueueState.HOLD, 1L);
    }

    @Test
    void releasedMessagesAreDeliveredAtOnceWithAFreshBudget() {
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        RetrySpool spool = spool(b -> b.handler((context, message, body) -> delivered.add(message.id())));
        List<String> ids = enqueue(spool, 3, "tenant", "acme");
        spool.moveAll(MessageFilter.builder().state(QueueState.INCOMING).build(), QueueState.HOLD);
        clock.advance(Duration.ofHours(2));
        spool.start();

        long released = spool.moveAll(MessageFilter.builder().state(QueueState.HOLD).olderThan(Duration.ofHours(1))
                .build(), QueueState.INCOMING);

        assertThat(released).isEqualTo(3);
        await().atMost(WAIT).until(() -> delivered.containsAll(ids));
    }

    @Test
    void countWithoutAStateCountsEveryStateAndAnAgeCountsFromCreation() {
        RetrySpool spool = spool(b -> { });
        enqueue(spool, 2, "tenant", "acme");
        clock.advance(Duration.ofHours(2));
        enqueue(spool, 1, "tenant", "acme");
        spool.moveAll(MessageFilter.builder().olderThan(Duration.ofHours(1)).build(), QueueState.HOLD);

        assertThat(spool.count(MessageFilter.builder().build())).isEqualTo(3);
        assertThat(spool.count(MessageFilter.builder().state(QueueState.HOLD).build())).isEqualTo(2);
        assertThat(spool.count(MessageFilter.builder().olderThan(Duration.ofHours(1)).build())).isEqualTo(2);
        assertThat(spool.count(MessageFilter.builder().olderThan(Duration.ofDays(365_000)).build())).isZero();
    }

    @Test
    void deleteAllDeletesTheMatchingMessagesWithTheirBodies() {
        RetrySpool spool = spool(b -> { });
        List<String> doomed = enqueue(spool, MORE_THAN_A_BATCH, "tenant", "acme");
        List<String> kept = enqueue(spool, 2, "tenant", "other");

        long deleted = spool.deleteAll(MessageFilter.builder().headerEquals("tenant", "acme").build());

        assertThat(deleted).isEqualTo(MORE_THAN_A_BATCH);
        assertThat(spool.counts()).containsEntry(QueueState.INCOMING, 2L);
        assertThat(dataStore.listIds(START.plus(Duration.ofDays(1)), null, 10_000))
                .containsExactlyInAnyOrderElementsOf(kept).doesNotContainAnyElementsOf(doomed);
    }

    @Test
    void aFilterNamingActiveOrTheTargetStateIsRefused() {
        RetrySpool spool = spool(b -> { });
        MessageFilter active = MessageFilter.builder().state(QueueState.ACTIVE).build();

        assertThatThrownBy(() -> spool.moveAll(active, QueueState.HOLD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter:");
        assertThatThrownBy(() -> spool.deleteAll(active))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter:");
        assertThatThrownBy(() -> spool.moveAll(MessageFilter.builder().build(), QueueState.ACTIVE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
        assertThatThrownBy(() -> spool.moveAll(MessageFilter.builder().state(QueueState.HOLD).build(),
                QueueState.HOLD)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
        assertThatThrownBy(() -> spool.count((MessageFilter) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter:");
    }

    @Test
    void aBulkMoveWhileWorkersDeliverNeverMovesAMessageThatIsBeingDelivered() {
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        RetrySpool spool = spool(b -> b.concurrency(4).handler((context, message, body) -> {
            Thread.sleep(2);
            delivered.add(message.id());
        }));
        List<String> ids = enqueue(spool, MORE_THAN_A_BATCH, "tenant", "acme");
        spool.start();
        await().atMost(WAIT).until(() -> delivered.size() >= 20);

        long held = spool.moveAll(MessageFilter.builder().state(QueueState.INCOMING).headerEquals("tenant", "acme")
                .build(), QueueState.HOLD);

        await().atMost(WAIT).until(() -> spool.count(QueueState.INCOMING) + spool.count(QueueState.ACTIVE) == 0);
        Set<String> heldIds = new HashSet<>();
        spool.list(QueueState.HOLD, ListOptions.builder().limit(ListOptions.MAX_LIMIT).build()).items()
                .forEach(message -> heldIds.add(message.id()));
        assertThat(held).as("some messages were still waiting").isPositive();
        assertThat(heldIds).hasSize((int) held).doesNotContainAnyElementsOf(delivered);
        assertThat(delivered.size() + heldIds.size()).isEqualTo(ids.size());
        assertThat(spool.counts()).containsEntry(QueueState.HOLD, held).containsEntry(QueueState.DEFERRED, 0L);
    }

    @Test
    void aFilteredListingPagesThroughTheMatchingMessagesOldestFirstByCursor() {
        RetrySpool spool = spool(b -> { });
        List<String> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acme.addAll(enqueue(spool, 1, "tenant", "acme"));
            enqueue(spool, 2, "tenant", "other");
            clock.advance(Duration.ofMinutes(1));
        }
        MessageFilter filter = MessageFilter.builder().state(QueueState.INCOMING).headerEquals("tenant", "acme")
                .build();

        Page<Message> first = spool.list(filter, ListOptions.builder().limit(2).build());
        Page<Message> second = spool.list(filter, ListOptions.builder().limit(2).after(first.nextCursor()).build());
        Page<Message> last = spool.list(filter, ListOptions.builder().limit(2).after(second.nextCursor()).build());

        assertThat(ids(first)).containsExactlyElementsOf(acme.subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(acme.subList(2, 4));
        assertThat(ids(last)).containsExactly(acme.get(4));
        assertThat(first.hasMore()).isTrue();
        assertThat(last.hasMore()).isFalse();
        assertThat(last.nextCursor()).isNull();
        assertThat(first.total()).as("a header criterion is not counted").isEqualTo(Page.UNKNOWN_TOTAL);
    }

    @Test
    void aFilteredListingWithoutHeaderOrErrorCriteriaCountsItsMatchesAndSharesTheUnfilteredListingsCursors() {
        RetrySpool spool = spool(b -> { });
        List<String> old = enqueue(spool, 3, "tenant", "acme");
        clock.advance(Duration.ofHours(2));
        enqueue(spool, 2, "tenant", "acme");
        MessageFilter olderThanAnHour = MessageFilter.builder().state(QueueState.INCOMING)
                .olderThan(Duration.ofHours(1)).build();

        List<String> everyOne = ids(spool.list(QueueState.INCOMING, ListOptions.defaults()));
        Page<Message> unfiltered = spool.list(QueueState.INCOMING, ListOptions.builder().limit(1).build());
        Page<Message> rest = spool.list(olderThanAnHour, ListOptions.builder().after(unfiltered.nextCursor()).build());

        assertThat(everyOne.subList(0, 3)).as("the oldest first").containsExactlyInAnyOrderElementsOf(old);
        assertThat(rest.total()).isEqualTo(3);
        assertThat(ids(rest)).containsExactlyElementsOf(everyOne.subList(1, 3));
        assertThat(rest.hasMore()).isFalse();
    }

    @Test
    void aFilteredListingOfRareMatchesReturnsShortPagesThatGoOnWhereTheyStopped() {
        RetrySpool spool = spool(b -> { });
        enqueue(spool, MORE_THAN_A_BATCH, "tenant", "other");
        clock.advance(Duration.ofMinutes(1));
        List<String> rare = enqueue(spool, 1, "tenant", "acme");
        MessageFilter filter = MessageFilter.builder().state(QueueState.INCOMING).headerEquals("tenant", "acme")
                .build();
        ListOptions twenty = ListOptions.builder().limit(20).build();

        Page<Message> first = spool.list(filter, twenty);
        Page<Message> second = spool.list(filter, ListOptions.builder().limit(20).after(first.nextCursor()).build());

        assertThat(first.items()).as("1,000 messages examined (50 x 20), none matched").isEmpty();
        assertThat(first.hasMore()).isTrue();
        assertThat(ids(second)).containsExactlyElementsOf(rare);
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void aFilteredListingRefusesAFilterWithoutStateAnOffsetAnotherOrderAndAnotherOrdersCursor() {
        RetrySpool spool = spool(b -> { });
        enqueue(spool, 2, "tenant", "acme");
        MessageFilter incoming = MessageFilter.builder().state(QueueState.INCOMING).build();
        String byPriority = spool.list(QueueState.INCOMING, ListOptions.builder().limit(1).sortBy(SortField.PRIORITY)
                .build()).nextCursor();

        assertThatThrownBy(() -> spool.list(MessageFilter.builder().headerEquals("tenant", "acme").build(),
                ListOptions.defaults())).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter:");
        assertThatThrownBy(() -> spool.list((MessageFilter) null, ListOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter:");
        assertThatThrownBy(() -> spool.list(incoming, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("options:");
        assertThatThrownBy(() -> spool.list(incoming, ListOptions.builder().offset(1).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("options:");
        assertThatThrownBy(() -> spool.list(incoming, ListOptions.builder().descending().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("options:");
        assertThatThrownBy(() -> spool.list(incoming, ListOptions.builder().sortBy(SortField.NEXT_RETRY).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("options:");
        assertThatThrownBy(() -> spool.list(incoming, ListOptions.builder().after(byPriority).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("after:")
                .hasMessageContaining("PRIORITY");
        assertThatThrownBy(() -> spool.list(incoming, ListOptions.builder().after("not-a-cursor").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("after:");
    }

    private RetrySpool spool(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpoolBuilder builder = RetrySpool.builder()
                .store(store).clock(clock)
                .pollInterval(Duration.ofMillis(10)).shutdownGrace(Duration.ofSeconds(5))
                .instanceId("bulk-" + spools.size());
        customizer.accept(builder);
        RetrySpool spool = builder.build();
        spools.add(spool);
        return spool;
    }

    private static List<String> ids(Page<Message> page) {
        return page.items().stream().map(Message::id).toList();
    }

    private static List<String> enqueue(RetrySpool spool, int count, String header, String value) {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().header(header, value)
                    .body(("message " + i).getBytes(StandardCharsets.UTF_8)).build());
        }
        return spool.enqueueAll(requests);
    }

    private static List<String> enqueueTo(RetrySpool spool, int count, String destination) {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().destination(destination)
                    .body(("message " + i).getBytes(StandardCharsets.UTF_8)).build());
        }
        return spool.enqueueAll(requests);
    }
}
