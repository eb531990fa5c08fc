package io.retryspool.storage;

import io.retryspool.DestinationStatus;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.testing.Concurrently;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.retryspool.QueueState.ACTIVE;
import static io.retryspool.QueueState.BOUNCE;
import static io.retryspool.QueueState.DEFERRED;
import static io.retryspool.QueueState.HOLD;
import static io.retryspool.QueueState.INCOMING;
import static io.retryspool.storage.TestMessages.T0;
import static io.retryspool.storage.TestMessages.at;
import static io.retryspool.storage.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The destination contract of {@link MetaStore}: concurrency limits (across clients), rates, fairness among
 * destinations, suspension and probation ({@link MetaStore#claim}), and the folding of attempt results into
 * destinations' statuses ({@link MetaStore#recordDestinationResults}, {@link MetaStore#suspendedDestinations},
 * {@link MetaStore#resumeDestination}). A backend's test class extends this one; every test starts from an empty
 * store. Times are fixed instants, except in the rate test: a database-backed store refills rate buckets on its server's
 * clock, so that test claims at the real time.
 */
public abstract class AbstractDestinationContractTests {

    private static final Set<QueueState> DELIVERY = EnumSet.of(INCOMING, DEFERRED);
    private static final String OWNER = "instance-a";
    private static final Duration LEASE = Duration.ofMinutes(5);
    /** The time of the claims: every test message is due at {@link TestMessages#T0}. */
    private static final Instant NOW = at(60);

    private MetaStore store;
    private int nextMessage;

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
        nextMessage = 0;
    }

    @AfterEach
    void destroyStoreUnderTest() {
        destroyStore(store);
    }

    // ---------------------------------------------------------------- concurrency limits

    @Test
    void aClaimTakesNoMoreOfADestinationThanItsConcurrencyLimit() {
        List<String> ids = enqueue("mx.example.com", 10);
        DestinationPolicy policy = concurrency(3, Map.of());

        List<Claim> first = claim(policy, 10);
        assertThat(first).hasSize(3);
        assertThat(claim(policy, 10)).as("three attempts run").isEmpty();

        store.complete(List.of(ClaimOutcome.delete(first.get(0))));

        assertThat(claim(policy, 10)).as("one ended, one more may start").hasSize(1);
        assertThat(ids).hasSize(10);
    }

    @Test
    void aNamedLimitOverridesTheDefaultAndZeroMeansNoLimit() {
        enqueue("a.example", 10);
        enqueue("b.example", 10);
        enqueue("c.example", 10);
        DestinationPolicy policy = concurrency(2, Map.of("b.example", 5, "c.example", 0));

        Map<String, Long> claimed = byDestination(claim(policy, 100));

        assertThat(claimed).containsExactlyInAnyOrderEntriesOf(Map.of("a.example", 2L, "b.example", 5L,
                "c.example", 10L));
    }

    @Test
    void aDefaultLimitOfZeroMeansNoLimit() {
        enqueue("a.example", 30);

        assertThat(claim(concurrency(0, Map.of()), 100)).hasSize(30);
    }

    @Test
    void aMessageMovedOutOfActiveStillCountsUntilItsAttemptEnds() {
        enqueue("a.example", 3);
        DestinationPolicy policy = concurrency(1, Map.of());
        Claim running = claim(policy, 10).get(0);

        store.moveToState(running.id(), ACTIVE, HOLD, NOW, null);

        assertThat(claim(policy, 10)).as("the held message's attempt still runs").isEmpty();
        assertThat(store.complete(List.of(ClaimOutcome.update(running, running.metadata().toBuilder()
                .state(DEFERRED).build())))).as("the outcome is not written").containsExactly(running.id());
        assertThat(claim(policy, 10)).as("its attempt ended").hasSize(1);
    }

    @Test
    void anExpiredLeaseOfAMessageMovedOutOfActiveNoLongerCounts() throws InterruptedException {
        enqueue("a.example", 3);
        DestinationPolicy policy = concurrency(1, Map.of());
        Claim running = store.claim(new ClaimRequest(DELIVERY, NOW, 10, OWNER, Duration.ofSeconds(1), policy)).get(0);
        store.moveToState(running.id(), ACTIVE, HOLD, NOW, null);
        assertThat(claim(policy, 10)).as("its lease is live").isEmpty();

        Thread.sleep(1_500); // a store on a database server times leases on the server's clock

        assertThat(claimAt(policy, NOW.plusSeconds(2), 10)).as("its worker stopped renewing the lease, which no reaper "
                + "settles for a message out of ACTIVE").hasSize(1);
    }

    @Test
    void aRunOfTheBounceHandlersIsNoRunningAttemptOnItsDestination() {
        DestinationPolicy policy = concurrency(1, Map.of());
        store(message(nextMessage++).state(BOUNCE).destination("a.example").nextRetry(T0).build());
        enqueue("a.example", 2);
        assertThat(store.claim(new ClaimRequest(EnumSet.of(BOUNCE), NOW, 10, OWNER, LEASE, policy))).hasSize(1);

        assertThat(claim(policy, 10)).as("the bounce run takes nothing of the destination's limit").hasSize(1);
    }

    @Test
    @Timeout(120)
    void claimersOnTwoClientsNeverRunMoreThanTheLimitTogether() throws Exception {
        enqueue("a.example", 400);
        int limit = 3;
        DestinationPolicy policy = concurrency(limit, Map.of());
        List<MetaStore> clients = List.of(store, anotherClientOf(store), anotherClientOf(store), anotherClientOf(store));
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();

        Concurrently.run(clients.size(), worker -> {
            MetaStore client = clients.get(worker);
            for (int round = 0; round < 40; round++) {
                List<Claim> claims = client.claim(new ClaimRequest(DELIVERY, NOW, 2, "worker-" + worker, LEASE, policy));
                // every message is a.example's: its ACTIVE ones are its running attempts, here and on the other clients
                long running = client.countInState(ACTIVE, Long.MAX_VALUE).value();
                mostRunning.accumulateAndGet((int) running, Math::max);
                client.complete(claims.stream().map(ClaimOutcome::delete).toList());
                delivered.addAndGet(claims.size());
            }
        });

        assertThat(mostRunning.get()).isLessThanOrEqualTo(limit);
        assertThat(delivered.get()).as("the claimers made progress").isPositive();
        assertThat(claim(policy, 100)).as("nothing runs any more: the full limit again").hasSize(limit);
    }

    @Test
    @Timeout(120)
    void concurrentClaimsOfOneDestinationNeverHandOutMoreThanTheLimit() throws Exception {
        enqueue("a.example", 100);
        int limit = 7;
        DestinationPolicy policy = concurrency(limit, Map.of());
        List<MetaStore> clients = List.of(store, anotherClientOf(store), anotherClientOf(store), anotherClientOf(store));
        ConcurrentLinkedQueue<Claim> claimed = new ConcurrentLinkedQueue<>();

        Concurrently.run(clients.size(), worker -> {
            for (int round = 0; round < 10; round++) {
                claimed.addAll(clients.get(worker).claim(new ClaimRequest(DELIVERY, NOW, 2, "worker-" + worker, LEASE,
                        policy)));
            }
        });

        assertThat(claimed).hasSizeLessThanOrEqualTo(limit);
        claimed.addAll(claim(policy, 100));
        assertThat(claimed).as("topped up to the limit").hasSize(limit);
        assertThat(claimed.stream().map(Claim::id).collect(Collectors.toSet())).hasSize(limit);
    }

    // ---------------------------------------------------------------- fairness

    @Test
    void aBatchIsSharedEvenlyAmongDestinationsWhateverTheirBacklog() {
        enqueue("big.example", 1000);
        enqueue("small.example", 10);

        Map<String, Long> claimed = byDestination(claim(concurrency(0, Map.of()), 10));

        assertThat(claimed).containsExactlyInAnyOrderEntriesOf(Map.of("big.example", 5L, "small.example", 5L));
    }

    @Test
    void aDestinationWithFewerDueMessagesThanItsShareLeavesTheRestToTheOthers() {
        enqueue("big.example", 100);
        enqueue("small.example", 2);

        Map<String, Long> claimed = byDestination(claim(concurrency(0, Map.of()), 10));

        assertThat(claimed).containsExactlyInAnyOrderEntriesOf(Map.of("big.example", 8L, "small.example", 2L));
    }

    @Test
    void successiveClaimsServeEveryDestinationInTurn() {
        List<String> names = List.of("d1.example", "d2.example", "d3.example", "d4.example", "d5.example");
        for (String name : names) {
            enqueue(name, 10);
        }
        DestinationPolicy policy = concurrency(0, Map.of());
        List<Claim> claimed = new ArrayList<>();

        for (int call = 0; call < 5; call++) {
            List<Claim> claims = claim(policy, 2);
            assertThat(claims).hasSize(2);
            claimed.addAll(claims);
        }

        // a store serves a batch's slots one destination each or a few from each, but the turn goes round: five
        // calls of two over five destinations of ten messages each serve every destination twice
        assertThat(byDestination(claimed)).as("round-robin over five destinations, two a call")
                .containsExactlyInAnyOrderEntriesOf(Map.of("d1.example", 2L, "d2.example", 2L, "d3.example", 2L,
                        "d4.example", 2L, "d5.example", 2L));
    }

    @Test
    void withinADestinationMessagesAreClaimedByPriorityThenDueTime() {
        store(message(0).destination("a.example").nextRetry(at(-10)).priority(5).build());
        store(message(1).destination("a.example").nextRetry(at(-20)).priority(5).build());
        store(message(2).destination("a.example").nextRetry(at(-5)).priority(9).build());
        store(message(3).destination("a.example").nextRetry(at(3600)).priority(10).build());

        List<Claim> claims = claim(concurrency(2, Map.of()), 10);

        assertThat(claims).extracting(Claim::id).containsExactly(TestMessages.id(2), TestMessages.id(1));
    }

    // ---------------------------------------------------------------- suspension

    @Test
    void aPausedDestinationYieldsNothingAndItsMessagesKeepTheirAttempts() {
        List<String> ids = enqueue("down.example", 3);
        enqueue("up.example", 3);
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(5));
        store.recordDestinationResults(List.of(new DestinationResult("down.example", false)), policy, NOW);

        Map<String, Long> claimed = byDestination(claim(policy, 10));

        assertThat(claimed).containsOnlyKeys("up.example");
        for (String id : ids) {
            MessageMetadata waiting = store.find(id).orElseThrow();
            assertThat(waiting.state()).isEqualTo(INCOMING);
            assertThat(waiting.attempts()).isZero();
        }
    }

    @Test
    void aDestinationOnProbationRunsOneAttemptAtATime() {
        enqueue("down.example", 5);
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(5));
        store.recordDestinationResults(List.of(new DestinationResult("down.example", false)), policy, NOW);
        Instant afterThePause = NOW.plus(Duration.ofMinutes(6));

        List<Claim> probe = claimAt(policy, afterThePause, 10);
        assertThat(probe).hasSize(1);
        assertThat(claimAt(policy, afterThePause, 10)).as("the probe still runs").isEmpty();

        store.complete(List.of(ClaimOutcome.update(probe.get(0), probe.get(0).metadata().toBuilder().state(DEFERRED)
                .nextRetry(at(100_000)).build())));
        assertThat(claimAt(policy, afterThePause, 10)).as("the probe ended without a success: the next probe").hasSize(1);
    }

    // ---------------------------------------------------------------- rates

    @Test
    @Timeout(60)
    void aRateLimitedDestinationStartsAtMostItsBurstAtOnceAndItsRateOverTime() {
        enqueue("slow.example", 40);
        DestinationPolicy policy = new DestinationPolicy(0, Map.of(), Map.of("slow.example", 2.0), 5,
                Duration.ofMinutes(5));
        Instant start = Instant.now();

        int claimed = claimAt(policy, Instant.now(), 40).size();
        assertThat(claimed).as("a full bucket: one second's worth").isEqualTo(2);
        assertThat(claimAt(policy, Instant.now(), 40)).as("the bucket is empty").isEmpty();

        AtomicInteger later = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).until(() -> later.addAndGet(claimAt(policy, Instant.now(), 40).size()) > 0);
        long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        while (System.nanoTime() < deadline) {
            later.addAndGet(claimAt(policy, Instant.now(), 40).size());
        }
        double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
        assertThat(claimed + later.get()).as("no more than the burst plus the rate over %.1f s", seconds)
                .isLessThanOrEqualTo((int) Math.floor(2 + 2 * seconds) + 1);
    }

    // ---------------------------------------------------------------- messages without a destination, bounces

    @Test
    void messagesWithAndWithoutADestinationShareABatch() {
        enqueue(null, 5);
        enqueue("a.example", 20);

        Map<String, Long> claimed = byDestination(claim(concurrency(3, Map.of()), 10));

        assertThat(claimed).containsExactlyInAnyOrderEntriesOf(Map.of("none", 5L, "a.example", 3L));
    }

    @Test
    void neitherKindWaitsForTheOtherToRunOut() {
        enqueue(null, 30);
        enqueue("a.example", 30);
        DestinationPolicy policy = concurrency(0, Map.of());
        Map<String, Long> claimed = new java.util.HashMap<>();

        for (int call = 0; call < 2; call++) {
            byDestination(claim(policy, 10)).forEach((name, count) -> claimed.merge(name, count, Long::sum));
        }

        assertThat(claimed).containsOnlyKeys("none", "a.example");
    }

    @Test
    void bounceClaimsIgnoreDestinationLimitsAndSuspensions() {
        DestinationPolicy policy = new DestinationPolicy(1, Map.of(), Map.of("a.example", 1.0), 1,
                Duration.ofMinutes(5));
        for (int i = 0; i < 5; i++) {
            store(message(nextMessage++).state(BOUNCE).destination("a.example").nextRetry(T0).build());
        }
        store.recordDestinationResults(List.of(new DestinationResult("a.example", false)), policy, NOW);

        assertThat(store.claim(new ClaimRequest(EnumSet.of(BOUNCE), NOW, 10, OWNER, LEASE, policy))).hasSize(5);
    }

    @Test
    void theOldestDueMessageMayHaveADestination() {
        store(message(nextMessage++).nextRetry(at(-10)).build());
        store(message(nextMessage++).destination("a.example").nextRetry(at(-30)).build());
        store(message(nextMessage++).destination("b.example").nextRetry(at(3600)).build());

        assertThat(store.oldestDue(NOW)).contains(at(-30));
        assertThat(store.oldestDue(at(-20))).contains(at(-30));
        assertThat(store.oldestDue(at(-40))).isEmpty();
    }

    // ---------------------------------------------------------------- results, suspension, resumption

    @Test
    void failuresInARowSuspendADestinationAtTheThreshold() {
        DestinationPolicy policy = suspending(3, Duration.ofMinutes(1));

        report(policy, NOW, "a.example", false, false);
        assertThat(store.suspendedDestinations()).isEmpty();
        report(policy, NOW, "a.example", false);

        assertThat(store.suspendedDestinations()).containsExactly(
                new DestinationStatus("a.example", 3, 1, NOW.plus(Duration.ofMinutes(1))));
    }

    @Test
    void aSuccessResetsTheFailuresInARow() {
        DestinationPolicy policy = suspending(3, Duration.ofMinutes(1));

        report(policy, NOW, "a.example", false, false, true, false, false);

        assertThat(store.suspendedDestinations()).isEmpty();
        report(policy, NOW, "a.example", false);
        assertThat(store.suspendedDestinations()).extracting(DestinationStatus::name).containsExactly("a.example");
    }

    @Test
    void aFailureWhilePausedChangesNothingAndAFailedProbeDoublesThePause() {
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(1));
        report(policy, NOW, "a.example", false);
        DestinationStatus paused = new DestinationStatus("a.example", 1, 1, NOW.plus(Duration.ofMinutes(1)));

        report(policy, NOW.plusSeconds(30), "a.example", false);
        assertThat(store.suspendedDestinations()).containsExactly(paused);

        Instant probeFailed = NOW.plus(Duration.ofMinutes(2));
        report(policy, probeFailed, "a.example", false);
        assertThat(store.suspendedDestinations()).containsExactly(
                new DestinationStatus("a.example", 2, 2, probeFailed.plus(Duration.ofMinutes(2))));

        report(policy, probeFailed.plus(Duration.ofMinutes(3)), "a.example", true);
        assertThat(store.suspendedDestinations()).isEmpty();
    }

    @Test
    void successesOfAHealthyDestinationChangeNothing() {
        DestinationPolicy policy = suspending(2, Duration.ofMinutes(1));
        enqueue("a.example", 1);

        report(policy, NOW, "a.example", true, true);
        report(policy, NOW, "never-enqueued.example", true);

        assertThat(store.suspendedDestinations()).isEmpty();
        report(policy, NOW, "a.example", false, false);
        assertThat(store.suspendedDestinations()).extracting(DestinationStatus::name).containsExactly("a.example");
    }

    @Test
    @Timeout(120)
    void resultsReportedByTwoClientsAtOnceAllCount() throws Exception {
        DestinationPolicy policy = suspending(40, Duration.ofMinutes(1));
        enqueue("a.example", 1);
        List<MetaStore> clients = List.of(store, anotherClientOf(store));

        Concurrently.run(2, worker -> {
            for (int i = 0; i < 20; i++) {
                clients.get(worker).recordDestinationResults(List.of(new DestinationResult("a.example", false)),
                        policy, NOW);
            }
        });

        assertThat(store.suspendedDestinations()).containsExactly(
                new DestinationStatus("a.example", 40, 1, NOW.plus(Duration.ofMinutes(1))));
    }

    @Test
    void resumingASuspendedDestinationMakesItHealthyAndClaimable() {
        enqueue("a.example", 3);
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(5));
        report(policy, NOW, "a.example", false);
        assertThat(claim(policy, 10)).isEmpty();

        assertThat(store.resumeDestination("a.example")).isTrue();

        assertThat(store.suspendedDestinations()).isEmpty();
        assertThat(claim(policy, 10)).hasSize(3);
        assertThat(store.resumeDestination("a.example")).as("no longer suspended").isFalse();
        assertThat(store.resumeDestination("unknown.example")).isFalse();
    }

    @Test
    void suspendedDestinationsAreListedByName() {
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(5));
        report(policy, NOW, "b.example", false);
        report(policy, NOW, "c.example", false);
        report(policy, NOW, "a.example", false);

        assertThat(store.suspendedDestinations()).extracting(DestinationStatus::name)
                .containsExactly("a.example", "b.example", "c.example");
    }

    @Test
    void namesThatDifferOnlyInTrailingSpacesAreDifferentDestinations() {
        enqueue("a.example", 3);
        enqueue("a.example ", 3);
        DestinationPolicy policy = suspending(1, Duration.ofMinutes(5));
        report(policy, NOW, "a.example ", false);

        Map<String, Long> claimed = byDestination(claim(policy, 10));

        assertThat(claimed).containsExactlyInAnyOrderEntriesOf(Map.of("a.example", 3L));
        assertThat(store.suspendedDestinations()).extracting(DestinationStatus::name).containsExactly("a.example ");
    }

    // ---------------------------------------------------------------- helpers

    /** A policy with a default concurrency limit and named ones, no rates. */
    protected static DestinationPolicy concurrency(int defaultLimit, Map<String, Integer> named) {
        return new DestinationPolicy(defaultLimit, named, Map.of(), DestinationPolicy.DEFAULT_FAILURE_THRESHOLD,
                DestinationPolicy.DEFAULT_SUSPEND);
    }

    /** A policy without concurrency limits that suspends after {@code threshold} failures, for {@code suspend}. */
    protected static DestinationPolicy suspending(int threshold, Duration suspend) {
        return new DestinationPolicy(0, Map.of(), Map.of(), threshold, suspend);
    }

    /** Stores {@code count} INCOMING messages due at T0 for a destination (or none); returns their ids. */
    protected List<String> enqueue(String destination, int count) {
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(new NewMessage(message(nextMessage++).destination(destination).nextRetry(T0).build(), null));
        }
        return store.storeAll(messages).stream().map(StoreResult::id).toList();
    }

    private void store(MessageMetadata metadata) {
        store.storeAll(List.of(new NewMessage(metadata, null)));
    }

    private List<Claim> claim(DestinationPolicy policy, int limit) {
        return claimAt(policy, NOW, limit);
    }

    private List<Claim> claimAt(DestinationPolicy policy, Instant now, int limit) {
        return store.claim(new ClaimRequest(DELIVERY, now, limit, OWNER, LEASE, policy));
    }

    private void report(DestinationPolicy policy, Instant now, String destination, boolean... successes) {
        List<DestinationResult> results = new ArrayList<>();
        for (boolean success : successes) {
            results.add(new DestinationResult(destination, success));
        }
        store.recordDestinationResults(results, policy, now);
    }

    /** Counts claims per destination ("none" for messages without one). */
    private static Map<String, Long> byDestination(List<Claim> claims) {
        Function<Claim, String> destination = claim -> claim.metadata().destination() == null ? "none"
                : claim.metadata().destination();
        return claims.stream().collect(Collectors.groupingBy(destination, Collectors.counting()));
    }
}
