package io.retryspool.internal.processing;

import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimOutcome;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.StoreTransactions;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeWriterTests {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    private final List<Integer> completeCalls = new CopyOnWriteArrayList<>();
    private final CountDownLatch allSubmitted = new CountDownLatch(1);
    private final MetaStore metaStore = countingCompletes(new InMemoryMetaStore());

    /** The in-memory store, recording the size of every group of outcomes and holding the first until allSubmitted. */
    private MetaStore countingCompletes(MetaStore delegate) {
        return (MetaStore) Proxy.newProxyInstance(MetaStore.class.getClassLoader(), new Class<?>[]{MetaStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("completeAndDeleteBodies")) {
                        allSubmitted.await(10, TimeUnit.SECONDS);
                        completeCalls.add(((List<?>) args[0]).size());
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private final DataStore dataStore = new InMemoryDataStore();
    private final OutcomeWriter writer = new OutcomeWriter(metaStore, dataStore, StoreTransactions.NONE, 100);

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
        metaStore.releaseExpiredLeases(T0.plusSeconds(3600));
        allSubmitted.countDown();

        assertThat(writer.submit(ClaimOutcome.delete(claim)).get()).isFalse();

        assertThat(metaStore.find(claim.id())).map(MessageMetadata::state).contains(QueueState.INCOMING);
        assertThat(dataStore.openReader(claim.id())).isNotNull();
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
        return metaStore.claim(new ClaimRequest(Set.of(QueueState.INCOMING), T0, count, "me", T0.plusSeconds(60)));
    }
}
