package io.retryspool.internal.processing;

import io.retryspool.DestinationStatus;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.SpoolListener;
import io.retryspool.codec.BodyDecodingException;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What finished attempts report about their destinations: which attempts count as a success or a failure, and that
 * the results of written outcomes reach the store once per group of outcomes (and per page of settled leases), while a
 * store that cannot record them never fails the outcomes.
 */
class DestinationResultsTests {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final DestinationPolicy POLICY = new DestinationPolicy(20, Map.of(), Map.of(), 2,
            Duration.ofMinutes(1));

    private final InMemoryMetaStore memory = new InMemoryMetaStore();
    private final List<List<DestinationResult>> recorded = new CopyOnWriteArrayList<>();
    private volatile RuntimeException recordFailure;
    /** When set, the first write of outcomes counts it down, then waits for {@link #writeGate}. */
    private volatile CountDownLatch writeEntered;
    private volatile CountDownLatch writeGate;
    private final MetaStore metaStore = recording(memory);
    private final SpoolStore store = SpoolStore.of(metaStore, new InMemoryDataStore());
    private final OutcomeDecider decider = new OutcomeDecider(
            new RetryPolicies(FixedRetryPolicy.of(Duration.ofSeconds(10)), Map.of()), Duration.ofDays(1), false,
            false);
    private final OutcomeWriter writer = new OutcomeWriter(store, 100, Duration.ofSeconds(5), POLICY,
            Clock.fixed(T0, ZoneOffset.UTC));

    /** The in-memory store, recording every call of recordDestinationResults and failing it when told to. */
    private MetaStore recording(MetaStore delegate) {
        return (MetaStore) Proxy.newProxyInstance(MetaStore.class.getClassLoader(), new Class<?>[]{MetaStore.class},
                (proxy, method, args) -> {
                    CountDownLatch entered = writeEntered;
                    if (method.getName().equals("complete") && entered != null) {
                        entered.countDown();
                        writeGate.await(10, TimeUnit.SECONDS);
                    }
                    if (method.getName().equals("recordDestinationResults")) {
                        @SuppressWarnings("unchecked")
                        List<DestinationResult> results = (List<DestinationResult>) args[0];
                        recorded.add(List.copyOf(results));
                        if (recordFailure != null) {
                            throw recordFailure;
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void stopWriter() {
        writer.stop();
    }

    // ---- what an attempt reports ----

    @Test
    void aDeliveredMessageIsASuccessOfItsDestination() {
        assertThat(decider.destinationResult(claim("d"), null)).isEqualTo(new DestinationResult("d", true));
    }

    @Test
    void retryableFailuresTimeoutsAndExpiredLeasesAreFailuresOfTheDestination() {
        Claim claim = claim("d");
        DestinationResult failure = new DestinationResult("d", false);

        assertThat(decider.destinationResult(claim, new RetryableException("busy"))).isEqualTo(failure);
        assertThat(decider.destinationResult(claim, new IllegalStateException("bug?"))).isEqualTo(failure);
        assertThat(decider.destinationResult(claim, AttemptFailure.timedOut(Duration.ofSeconds(1)))).isEqualTo(failure);
        assertThat(decider.destinationResult(claim, AttemptFailure.leaseExpired())).isEqualTo(failure);
    }

    @Test
    void permanentFailuresSayNothingAboutTheDestination() {
        Claim claim = claim("d");

        assertThat(decider.destinationResult(claim, new PermanentException("no such mailbox"))).isNull();
        assertThat(decider.destinationResult(claim, new RuntimeException(new PermanentException("wrapped")))).isNull();
        assertThat(decider.destinationResult(claim, new MissingBodyException("m-1"))).isNull();
        assertThat(decider.destinationResult(claim, new BodyDecodingException("m-1", null))).isNull();
    }

    @Test
    void messagesWithoutADestinationAndBounceHandlerRunsReportNothing() {
        assertThat(decider.destinationResult(claim(null), null)).isNull();
        assertThat(decider.destinationResult(claim(null), new RetryableException("busy"))).isNull();
        Claim bounce = new Claim(claim("d").metadata(), QueueState.BOUNCE, "t", "me", T0, T0);
        assertThat(decider.destinationResult(bounce, null)).isNull();
        assertThat(decider.destinationResult(bounce, new RetryableException("busy"))).isNull();
    }

    // ---- how results reach the store ----

    @Test
    void theResultsOfAGroupOfOutcomesAreRecordedInOneCallInTheirOrderAndAGroupWithoutResultsRecordsNothing()
            throws Exception {
        List<Claim> claims = claimAll(null, "a", "b", "a");
        writeEntered = new CountDownLatch(1);
        writeGate = new CountDownLatch(1);
        writer.start("test-outcomes");
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        written.add(writer.submit(ClaimOutcome.delete(claims.get(0)), null));
        assertThat(writeEntered.await(10, TimeUnit.SECONDS)).isTrue();
        written.add(writer.submit(ClaimOutcome.delete(claims.get(1)), new DestinationResult("a", true)));
        written.add(writer.submit(deferred(claims.get(2)), new DestinationResult("b", false)));
        written.add(writer.submit(deferred(claims.get(3)), new DestinationResult("a", false)));
        writeGate.countDown();

        for (CompletableFuture<Boolean> future : written) {
            assertThat(future.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(recorded).as("one call for the second group, none for the first").containsExactly(List.of(
                new DestinationResult("a", true), new DestinationResult("b", false), new DestinationResult("a", false)));
        assertThat(memory.suspendedDestinations()).isEmpty();
    }

    @Test
    void outcomesWrittenAtOnceRecordTheirResultThenAndAGroupWithoutResultsRecordsNothing() {
        List<Claim> claims = claimAll("a", null);

        assertThat(writer.write(ClaimOutcome.delete(claims.get(0)), new DestinationResult("a", true))).isTrue();
        assertThat(writer.write(ClaimOutcome.delete(claims.get(1)), null)).isTrue();

        assertThat(recorded).containsExactly(List.of(new DestinationResult("a", true)));
    }

    @Test
    void theResultOfAnOutcomeWhoseClaimIsNoLongerHeldIsNotRecorded() throws Exception {
        List<Claim> claims = claimAll("a", "a");
        memory.moveToState(claims.get(0).id(), QueueState.ACTIVE, QueueState.HOLD, T0, null);
        writer.start("test-outcomes");

        CompletableFuture<Boolean> stale = writer.submit(deferred(claims.get(0)), new DestinationResult("a", false));
        assertThat(stale.get(10, TimeUnit.SECONDS)).isFalse();
        CompletableFuture<Boolean> held = writer.submit(deferred(claims.get(1)), new DestinationResult("a", false));
        assertThat(held.get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(recorded).containsExactly(List.of(new DestinationResult("a", false)));
    }

    @Test
    void aStoreThatCannotRecordResultsDoesNotFailTheOutcomes() throws Exception {
        recordFailure = new IllegalStateException("injected");
        List<Claim> claims = claimAll("a", "a");
        writer.start("test-outcomes");

        assertThat(writer.submit(deferred(claims.get(0)), new DestinationResult("a", false))
                .get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.write(deferred(claims.get(1)), new DestinationResult("a", false))).isTrue();

        assertThat(memory.countByState()).containsEntry(QueueState.DEFERRED, 2L);
        assertThat(writer.isRunning()).isTrue();
    }

    @Test
    void expiredLeasesOfMessagesWithADestinationAreFailuresRecordedOncePerPage() {
        claimAll("a", "a", null);
        LeaseReaper reaper = new LeaseReaper(metaStore, decider, new SpoolListener() { }, POLICY);

        assertThat(reaper.reap(T0.plus(Duration.ofMinutes(2)))).isEqualTo(3);

        assertThat(recorded).containsExactly(List.of(new DestinationResult("a", false),
                new DestinationResult("a", false)));
        assertThat(memory.suspendedDestinations()).containsExactly(new DestinationStatus("a", 2, 1,
                T0.plus(Duration.ofMinutes(3))));
    }

    @Test
    void aReaperWhoseStoreCannotRecordResultsStillSettlesTheLeases() {
        recordFailure = new IllegalStateException("injected");
        claimAll("a");
        LeaseReaper reaper = new LeaseReaper(metaStore, decider, new SpoolListener() { }, POLICY);

        assertThat(reaper.reap(T0.plus(Duration.ofMinutes(2)))).isEqualTo(1);
        assertThat(memory.countByState()).containsEntry(QueueState.DEFERRED, 1L);
    }

    private static Claim claim(String destination) {
        MessageMetadata metadata = MessageMetadata.builder().id("m-1").state(QueueState.ACTIVE).attempts(1)
                .maxAttempts(5).created(T0).nextRetry(T0).updated(T0).destination(destination).build();
        return new Claim(metadata, QueueState.INCOMING, "t", "me", T0, T0);
    }

    private static ClaimOutcome deferred(Claim claim) {
        return ClaimOutcome.update(claim, claim.metadata().toBuilder().state(QueueState.DEFERRED).updated(T0).build());
    }

    private int stored;

    /** Stores one message per destination given (null for none) and claims them all with a lease of one minute. */
    private List<Claim> claimAll(String... destinations) {
        List<NewMessage> messages = new ArrayList<>();
        for (String destination : destinations) {
            String id = String.format("m-%05d", stored++);
            messages.add(new NewMessage(MessageMetadata.builder().id(id).created(T0).nextRetry(T0)
                    .destination(destination).build(), null));
        }
        memory.storeAll(messages);
        List<Claim> claims = new ArrayList<>(memory.claim(new ClaimRequest(Set.of(QueueState.INCOMING), T0,
                destinations.length, "me", Duration.ofMinutes(1), POLICY)));
        claims.sort(java.util.Comparator.comparing(Claim::id));
        return claims;
    }
}
