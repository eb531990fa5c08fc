package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's threads survive an {@link Error} thrown by the store they call: the claim loop, the outcome
 * flusher, the lease keeper, the lease reaper and the retention sweeper each meet an injected
 * {@code OutOfMemoryError} on their store call and go on doing their work; and a spool whose claim thread does
 * die says so ({@link RetrySpool#isRunning()} is false, which the health indicator reports as DOWN).
 */
class EngineThreadFaultTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final InMemoryMetaStore memory = new InMemoryMetaStore();
    /** Method name to the number of calls that still throw. */
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> thrown = new ConcurrentHashMap<>();
    private final List<RetrySpool> spools = new ArrayList<>();

    @AfterEach
    void closeSpools() {
        spools.forEach(RetrySpool::close);
    }

    @Test
    void theClaimLoopSurvivesAnErrorFromClaim() {
        failOnce("claim", () -> new OutOfMemoryError("injected into claim"));
        Deliveries deliveries = new Deliveries();
        RetrySpool spool = started(b -> b.handler(deliveries::record));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitGone(spool, id);
        assertThat(thrown("claim")).isOne();
        assertThat(deliveries.times(id)).isOne();
        assertThat(spool.isRunning()).isTrue();
    }

    @Test
    void theOutcomeFlusherSurvivesAnErrorFromStoringOutcomes() {
        failOnce("complete", () -> new OutOfMemoryError("injected into complete"));
        Deliveries deliveries = new Deliveries();
        RetrySpool spool = started(b -> b.handler(deliveries::record));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitGone(spool, id);
        assertThat(thrown("complete")).isOne();
        assertThat(deliveries.times(id)).as("the outcome was written on a later try, not redelivered").isOne();
        assertThat(spool.isRunning()).isTrue();
    }

    @Test
    void theLeaseKeeperSurvivesAnErrorFromRenewingLeases() {
        failOnce("renewLeases", () -> new OutOfMemoryError("injected into renewLeases"));
        Deliveries deliveries = new Deliveries();
        RetrySpool spool = started(b -> b.clock(Clock.systemUTC()).leaseTimeout(Duration.ofMillis(900))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(10)))
                .handler((context, message, body) -> {
                    deliveries.record(context, message, body);
                    Thread.sleep(3_000);
                }));

        String id = spool.enqueue(Map.of(), bytes("a 3 s handler with a 900 ms lease"));

        awaitGone(spool, id);
        assertThat(thrown("renewLeases")).isOne();
        assertThat(deliveries.times(id)).as("the lease was renewed after the error, so nobody took it back").isOne();
    }

    @Test
    void theLeaseReaperSurvivesAnErrorFromFindingExpiredLeases() {
        failOnce("expiredLeases", () -> new OutOfMemoryError("injected into expiredLeases"));
        Deliveries deliveries = new Deliveries();
        RetrySpool spool = spool(b -> b.clock(Clock.systemUTC()).retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(10)))
                .handler(deliveries::record));
        String id = spool.enqueue(Map.of(), bytes("x"));
        memory.claim(new ClaimRequest(Set.of(QueueState.INCOMING), Instant.now(), 1, "dead", Duration.ofMillis(200)));
        spool.start();

        awaitGone(spool, id);
        assertThat(thrown("expiredLeases")).isOne();
        assertThat(deliveries.times(id)).isOne();
    }

    @Test
    void theRetentionSweeperSurvivesAnErrorFromDeletingArchivedMessages() {
        failOnce("deleteArchived", () -> new OutOfMemoryError("injected into deleteArchived"));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        RetrySpool spool = started(b -> b.clock(clock).archiveSuccess(true).archiveRetention(Duration.ofMinutes(10))
                .handler((context, message, body) -> { }));
        String id = spool.enqueue(Map.of(), bytes("x"));
        await().atMost(WAIT).until(() -> spool.getMessage(id).metadata().state() == QueueState.ARCHIVED);
        await().atMost(WAIT).until(() -> thrown("deleteArchived") == 1);

        clock.advance(Duration.ofMinutes(11));

        awaitGone(spool, id);
        assertThat(spool.isRunning()).isTrue();
    }

    @Test
    void aSpoolWhoseClaimThreadDiesReportsThatItIsNotRunning() {
        failOnce("claim", UnprintableError::new);
        RetrySpool spool = started(b -> b.handler((context, message, body) -> { }));

        await("the claim thread met an error it cannot even log").atMost(WAIT).until(() -> thrown("claim") == 1);

        await().atMost(WAIT).until(() -> !spool.isRunning());
        spool.stop(Duration.ofSeconds(1));
        spool.start();
        String id = spool.enqueue(Map.of(), bytes("after a restart"));
        awaitGone(spool, id);
        assertThat(spool.isRunning()).as("a restart brings it back").isTrue();
    }

    /** An error that cannot be described: logging it throws again, so it escapes the loop that caught it. */
    private static final class UnprintableError extends Error {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new UnprintableError();
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new UnprintableError();
        }
    }

    private void failOnce(String method, java.util.function.Supplier<Error> error) {
        failures.put(method, new AtomicInteger(1));
        errors.put(method, error);
    }

    private final Map<String, java.util.function.Supplier<Error>> errors = new ConcurrentHashMap<>();

    private int thrown(String method) {
        return thrown.getOrDefault(method, new AtomicInteger()).get();
    }

    /** The in-memory store, throwing the injected errors. */
    private MetaStore failingStore() {
        return (MetaStore) Proxy.newProxyInstance(MetaStore.class.getClassLoader(), new Class<?>[]{MetaStore.class},
                (proxy, method, args) -> {
                    AtomicInteger remaining = failures.get(method.getName());
                    if (remaining != null && remaining.getAndDecrement() > 0) {
                        thrown.computeIfAbsent(method.getName(), ignored -> new AtomicInteger()).incrementAndGet();
                        throw errors.get(method.getName()).get();
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private RetrySpool spool(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpoolBuilder builder = RetrySpool.builder().metaStore(failingStore()).dataStore(new InMemoryDataStore())
                .pollInterval(Duration.ofMillis(10)).shutdownGrace(Duration.ofSeconds(5));
        customizer.accept(builder);
        RetrySpool spool = builder.build();
        spools.add(spool);
        return spool;
    }

    private RetrySpool started(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpool spool = spool(customizer);
        spool.start();
        return spool;
    }

    private static void awaitGone(RetrySpool spool, String id) {
        await().atMost(WAIT).until(() -> {
            try {
                spool.getMessage(id);
                return false;
            } catch (MessageNotFoundException e) {
                return true;
            }
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts deliveries per message id. */
    private static final class Deliveries {
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        void record(io.retryspool.handler.MessageContext context, Message message, MessageBody body) {
            counts.computeIfAbsent(message.id(), ignored -> new AtomicInteger()).incrementAndGet();
        }

        int times(String id) {
            return counts.getOrDefault(id, new AtomicInteger()).get();
        }
    }
}
