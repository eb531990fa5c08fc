package io.retryspool.internal.processing;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.StorageException;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeWriterTests {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    private final List<Integer> completeCalls = new CopyOnWriteArrayList<>();
    private final CountDownLatch allSubmitted = new CountDownLatch(1);
    /** Decides whether a write of these outcomes fails, and how; null lets it through. */
    private volatile Function<List<ClaimOutcome>, RuntimeException> failure = outcomes -> null;
    private final MetaStore metaStore = new InMemoryMetaStore();
    private final DataStore dataStore = new InMemoryDataStore();
    private final SpoolStore store = countingCompletes(SpoolStore.of(metaStore, dataStore));

    /**
     * The in-memory store, recording the size of every group of outcomes, holding the first until allSubmitted, and
     * failing the writes that {@link #failure} chooses.
     */
    private SpoolStore countingCompletes(SpoolStore delegate) {
        return (SpoolStore) Proxy.newProxyInstance(SpoolStore.class.getClassLoader(), new Class<?>[]{SpoolStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("completeAndDeleteBodies")) {
                        allSubmitted.await(10, TimeUnit.SECONDS);
                        @SuppressWarnings("unchecked")
                        List<ClaimOutcome> outcomes = (List<ClaimOutcome>) args[0];
                        completeCalls.add(outcomes.size());
                        RuntimeException refused = failure.apply(outcomes);
                        if (refused != null) {
                            throw refused;
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private final OutcomeWriter writer = new OutcomeWriter(store, 100, Duration.ofSeconds(20), DestinationPolicy.DEFAULTS,
            Clock.systemUTC());

    @Test
    void outcomesSubmittedWhileRunningAreWrittenInGroupsAndBodiesOfDeletedMessagesGo() throws Exception {
        List<Claim> claims = claim(300);
        writer.start("test-outcomes");
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        for (Claim claim : claims) {
            written.add(writer.submit(ClaimOutcome.delete(claim)));
        }
        allSubmitted.countDown();
        for (CompletableFuture<Boolean> future : written) {
            assertThat(future.get(20, TimeUnit.SECONDS)).isTrue();
        }
        writer.stop();

        assertThat(completeCalls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        assertThat(completeCalls).allMatch(size -> size <= 100);
        assertThat(completeCalls.size()).isLessThanOrEqualTo(4);
        assertThat(metaStore.countByState().values()).containsOnly(0L);
        assertThatThrownBy(() -> dataStore.openReader(claims.get(0).id())).isInstanceOf(MissingBodyException.class);
    }

    @Test
    void aStaleClaimIsReportedNotWrittenAndItsBodyStays() throws Exception {
        Claim claim = claim(1).get(0);
        metaStore.moveToState(claim.id(), QueueState.ACTIVE, QueueState.HOLD, T0.plusSeconds(1), null);
        allSubmitted.countDown();

        assertThat(writer.submit(ClaimOutcome.delete(claim)).get()).isFalse();

        assertThat(metaStore.find(claim.id())).map(MessageMetadata::state).contains(QueueState.HOLD);
        assertThat(dataStore.openReader(claim.id())).isNotNull();
    }

    @Test
    void aGroupThatFailsIsWrittenRowByRowSoOneBadRowFailsNoOther() throws Exception {
        List<Claim> claims = claim(10);
        String bad = claims.get(3).id();
        failure = outcomes -> outcomes.stream().anyMatch(outcome -> outcome.id().equals(bad))
                ? new StorageException("row " + bad + " refused") : null;
        OutcomeWriter shortRetries = new OutcomeWriter(store, 100, Duration.ofMillis(400), DestinationPolicy.DEFAULTS,
                Clock.systemUTC());
        shortRetries.start("test-outcomes");
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        for (Claim claim : claims) {
            written.add(shortRetries.submit(deferred(claim)));
        }
        allSubmitted.countDown();

        for (int i = 0; i < claims.size(); i++) {
            if (i != 3) {
                assertThat(written.get(i).get(20, TimeUnit.SECONDS)).as("outcome %d", i).isTrue();
            }
        }
        assertThatThrownBy(() -> written.get(3).get(20, TimeUnit.SECONDS)).as("the bad row, after its retries")
                .hasCauseInstanceOf(StorageException.class);
        shortRetries.stop();
        assertThat(metaStore.countByState()).containsEntry(QueueState.DEFERRED, 9L).containsEntry(QueueState.ACTIVE, 1L);
        assertThat(completeCalls.stream().filter(size -> size == 1).count()).as("the bad row was tried again")
                .isGreaterThan(2);
    }

    @Test
    void outcomesThatCannotBeStoredAreRetriedUntilTheStoreAnswersAgain() throws Exception {
        List<Claim> claims = claim(20);
        AtomicInteger refusals = new AtomicInteger(5);
        failure = outcomes -> refusals.getAndDecrement() > 0
                ? new StorageException("could not connect", new SQLTransientConnectionException("pool timed out")) : null;
        writer.start("test-outcomes");
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        for (Claim claim : claims) {
            written.add(writer.submit(deferred(claim)));
        }
        allSubmitted.countDown();

        for (CompletableFuture<Boolean> future : written) {
            assertThat(future.get(20, TimeUnit.SECONDS)).isTrue();
        }
        writer.stop();
        assertThat(metaStore.countByState()).containsEntry(QueueState.DEFERRED, 20L);
        assertThat(completeCalls).as("an unreachable store is not tried row by row (20 outcomes, 5 refusals)")
                .hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void theFlusherSurvivesAnErrorFromTheStore() throws Exception {
        List<Claim> claims = claim(2);
        AtomicInteger errors = new AtomicInteger(1);
        failure = outcomes -> {
            if (errors.getAndDecrement() > 0) {
                throw new OutOfMemoryError("injected");
            }
            return null;
        };
        writer.start("test-outcomes");
        allSubmitted.countDown();

        CompletableFuture<Boolean> first = writer.submit(deferred(claims.get(0)));
        assertThat(first.get(20, TimeUnit.SECONDS)).as("retried after the error").isTrue();
        assertThat(writer.submit(deferred(claims.get(1))).get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.isRunning()).isTrue();
        writer.stop();
    }

    private static ClaimOutcome deferred(Claim claim) {
        return ClaimOutcome.update(claim, claim.metadata().toBuilder().state(QueueState.DEFERRED).updated(T0).build());
    }

    @Test
    void stoppingWritesWhatIsStillQueued() throws Exception {
        List<Claim> claims = claim(50);
        writer.start("test-outcomes");
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        for (Claim claim : claims) {
            written.add(writer.submit(ClaimOutcome.update(claim,
                    claim.metadata().toBuilder().state(QueueState.DEFERRED).updated(T0).build())));
        }
        allSubmitted.countDown();

        writer.stop();

        assertThat(written).allMatch(CompletableFuture::isDone);
        assertThat(metaStore.countByState().get(QueueState.DEFERRED)).isEqualTo(50);
    }

    private List<Claim> claim(int count) {
        List<NewMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("m-%05d", i);
            messages.add(new NewMessage(MessageMetadata.builder().id(id).created(T0).build(), null));
            dataStore.store(id, new ByteArrayInputStream(new byte[]{1}));
        }
        metaStore.storeAll(messages);
        return metaStore.claim(new ClaimRequest(Set.of(QueueState.INCOMING), T0, count, "me", Duration.ofMinutes(1)));
    }
}
