package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import io.retryspool.internal.scheduler.DelayWarner;
import io.retryspool.retry.ExponentialRetryPolicy;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.Claim;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.MissingBodyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The engine's behaviour, run against a pair of stores. Each store implementation extends this class, so
 * the same rules are proven on memory, SQLite and PostgreSQL. Time-dependent rules use a {@link MutableClock};
 * workers poll every few milliseconds so that an advanced clock is noticed at once.
 */
public abstract class AbstractRetrySpoolBehaviourTests {

    protected static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    protected static final Duration POLL = Duration.ofMillis(10);
    private static final Duration WAIT = Duration.ofSeconds(20);

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

    @BeforeEach
    void createStores() {
        clock = new MutableClock(START);
        store = createStore();
        metaStore = store.meta();
        dataStore = store.bodies();
    }

    /**
     * Releases what the stores hold (a connection pool, say) once every spool of the test is closed. Does nothing by
     * default. (A subclass's own {@code @AfterEach} would run before the spools are closed.)
     */
    protected void closeStores() {
    }

    @AfterEach
    void closeSpoolsThenStores() {
        try {
            spools.forEach(RetrySpool::close);
        } finally {
            closeStores();
        }
    }

    /** Builds a stopped spool on the test's stores with quick polling; the test customises the rest. */
    protected RetrySpool spool(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpoolBuilder builder = RetrySpool.builder()
                .store(store).clock(clock)
                .pollInterval(POLL).shutdownGrace(Duration.ofSeconds(5)).instanceId("test-" + spools.size());
        customizer.accept(builder);
        RetrySpool spool = builder.build();
        spools.add(spool);
        return spool;
    }

    protected RetrySpool started(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpool spool = spool(customizer);
        spool.start();
        return spool;
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    protected void awaitState(RetrySpool spool, String id, QueueState state) {
        await().atMost(WAIT).until(() -> spool.getMessage(id).metadata().state() == state);
    }

    /** Waits until the message is DEFERRED after its n-th attempt (attempts are counted when claimed). */
    protected void awaitDeferredAfter(RetrySpool spool, String id, int attempts) {
        await().atMost(WAIT).until(() -> spool.getMessage(id).metadata(),
                m -> m.state() == QueueState.DEFERRED && m.attempts() == attempts);
    }

    protected void awaitGone(RetrySpool spool, String id) {
        await().atMost(WAIT).until(() -> !exists(spool, id));
    }

    protected static boolean exists(RetrySpool spool, String id) {
        return spool.findMessage(id).isPresent();
    }

    /** Lets the workers poll a few times, to show that something does NOT happen. */
    protected static void letWorkersPoll() throws InterruptedException {
        Thread.sleep(POLL.toMillis() * 15);
    }

    /** A handler that records what it saw and fails as long as {@code failures} is positive. */
    protected static final class RecordingHandler implements MessageHandler {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger failures = new AtomicInteger();
        volatile RuntimeException failWith = new RetryableException("temporarily unavailable");

        RecordingHandler failing(int times) {
            failures.set(times);
            return this;
        }

        @Override
        public void handle(MessageContext context, Message message, MessageBody body) throws IOException {
            ids.add(message.id());
            attempts.add(context.attempt());
            bodies.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            if (failures.getAndDecrement() > 0) {
                throw failWith;
            }
        }

        int calls() {
            return ids.size();
        }
    }

    // ---- delivery ----

    @Test
    void enqueuedMessageIsDeliveredOnceAndDeleted() {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = started(b -> b.handler(handler));

        String id = spool.enqueue(headers("to", "alice"), bytes("hello"));

        awaitGone(spool, id);
        assertThat(handler.ids).containsExactly(id);
        assertThat(handler.bodies).containsExactly("hello");
        assertThat(spool.counts().values()).allMatch(count -> count == 0);
        assertThatThrownBy(() -> dataStore.openReader(id)).isInstanceOf(MissingBodyException.class);
    }

    @Test
    void handlerSeesTheDestinationTheMessageWasEnqueuedWith() {
        Map<String, Optional<String>> seen = new ConcurrentHashMap<>();
        RetrySpool spool = started(b -> b.handler((context, message, body) ->
                seen.put(message.id(), Optional.ofNullable(message.metadata().destination()))));

        String single = spool.enqueue(EnqueueRequest.builder().destination("example.org").body(bytes("a")).build());
        String streamed = spool.enqueue(EnqueueRequest.builder().destination("streamed.example.org")
                .body(new ByteArrayInputStream(bytes("b"))).build());
        List<String> batch = spool.enqueueAll(List.of(
                EnqueueRequest.builder().destination("one.example.org").body(bytes("c")).build(),
                EnqueueRequest.builder().body(bytes("d")).build(),
                EnqueueRequest.builder().destination("two.example.org").idempotencyKey("order-1").body(bytes("e")).build()));

        await().atMost(WAIT).until(() -> seen.size() == 5);
        assertThat(seen).containsEntry(single, Optional.of("example.org"))
                .containsEntry(streamed, Optional.of("streamed.example.org"))
                .containsEntry(batch.get(0), Optional.of("one.example.org"))
                .containsEntry(batch.get(1), Optional.empty())
                .containsEntry(batch.get(2), Optional.of("two.example.org"));
    }

    @Test
    void handlerSeesHeadersBodySizeAndFirstAttempt() {
        AtomicReference<Message> seen = new AtomicReference<>();
        AtomicReference<Long> size = new AtomicReference<>();
        AtomicInteger attempt = new AtomicInteger();
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            seen.set(message);
            size.set(body.size());
            attempt.set(context.attempt());
        }));

        String id = spool.enqueue(headers("a", "1", "b", "2"), bytes("12345"));

        awaitGone(spool, id);
        assertThat(seen.get().id()).isEqualTo(id);
        assertThat(seen.get().metadata().headers()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(size.get()).isEqualTo(5);
        assertThat(attempt.get()).isEqualTo(1);
    }

    @Test
    void deliveredMessageIsArchivedWhenArchiveSuccessIsOn() {
        RecordingHandler handler = new RecordingHandler().failing(1);
        RetrySpool spool = started(b -> b.handler(handler).archiveSuccess(true)
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(1))));

        String id = spool.enqueue(Map.of(), bytes("x"));
        awaitState(spool, id, QueueState.DEFERRED);
        clock.advance(Duration.ofMinutes(1));
        awaitState(spool, id, QueueState.ARCHIVED);

        MessageMetadata archived = spool.getMessage(id).metadata();
        assertThat(archived.archivedAs()).isEqualTo(ArchiveReason.DELIVERED);
        assertThat(archived.attempts()).isEqualTo(2);
        assertThat(archived.lastError()).isNull();
        assertThat(handler.attempts).containsExactly(1, 2);
    }

    @Test
    void enqueueWakesTheWorkersWithoutWaitingForThePollInterval() {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = started(b -> b.handler(handler).pollInterval(Duration.ofHours(1)));
        await().atMost(WAIT).until(spool::isRunning);

        String id = spool.enqueue(Map.of(), bytes("now"));

        await().atMost(Duration.ofSeconds(5)).until(() -> handler.ids.contains(id));
    }

    // ---- retries ----

    @Test
    void failedDeliveryIsDeferredAndRetriedAfterItsInterval() throws InterruptedException {
        RecordingHandler handler = new RecordingHandler().failing(2);
        RetrySpool spool = started(b -> b.handler(handler)
                .retryPolicy(ExponentialRetryPolicy.ofIntervals(Duration.ofMinutes(1), Duration.ofMinutes(2))));

        String id = spool.enqueue(Map.of(), bytes("retry me"));

        awaitState(spool, id, QueueState.DEFERRED);
        MessageMetadata first = spool.getMessage(id).metadata();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(first.lastError()).isEqualTo(RetryableException.class.getName() + ": temporarily unavailable");

        clock.advance(Duration.ofSeconds(59));
        letWorkersPoll();
        assertThat(handler.calls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        awaitDeferredAfter(spool, id, 2);
        MessageMetadata second = spool.getMessage(id).metadata();
        assertThat(second.state()).isEqualTo(QueueState.DEFERRED);
        assertThat(second.nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(1)).plus(Duration.ofMinutes(2)));

        clock.advance(Duration.ofMinutes(2));
        awaitGone(spool, id);
        assertThat(handler.attempts).containsExactly(1, 2, 3);
    }

    @Test
    void messageBouncesWhenItsAttemptsAreUsedUp() {
        RecordingHandler handler = new RecordingHandler().failing(Integer.MAX_VALUE);
        RetrySpool spool = started(b -> b.handler(handler).maxAttempts(3)
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(5))));

        String id = spool.enqueue(Map.of(), bytes("doomed"));
        for (int attempt = 1; attempt < 3; attempt++) {
            int expected = attempt;
            awaitDeferredAfter(spool, id, expected);
            clock.advance(Duration.ofMinutes(5));
        }

        awaitState(spool, id, QueueState.BOUNCE);
        MessageMetadata bounced = spool.getMessage(id).metadata();
        assertThat(bounced.attempts()).isEqualTo(3);
        assertThat(bounced.lastError()).contains("temporarily unavailable").contains("3 attempts");
        assertThat(handler.calls()).isEqualTo(3);
    }

    @Test
    void perMessageMaxAttemptsOverridesTheDefault() {
        RecordingHandler handler = new RecordingHandler().failing(Integer.MAX_VALUE);
        RetrySpool spool = started(b -> b.handler(handler).maxAttempts(10));

        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("once")).maxAttempts(1).build());

        awaitState(spool, id, QueueState.BOUNCE);
        assertThat(spool.getMessage(id).metadata().maxAttempts()).isEqualTo(1);
        assertThat(handler.calls()).isEqualTo(1);
    }

    @Test
    void failureAfterTheMaximumLifetimeBouncesEvenWithAttemptsLeft() {
        RecordingHandler handler = new RecordingHandler().failing(Integer.MAX_VALUE);
        RetrySpool spool = started(b -> b.handler(handler).maxAttempts(100).maxLifetime(Duration.ofHours(1))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(40))));

        String id = spool.enqueue(Map.of(), bytes("old"));
        awaitState(spool, id, QueueState.DEFERRED);
        clock.advance(Duration.ofMinutes(40));
        awaitDeferredAfter(spool, id, 2);
        clock.advance(Duration.ofMinutes(40));

        awaitState(spool, id, QueueState.BOUNCE);
        MessageMetadata bounced = spool.getMessage(id).metadata();
        assertThat(bounced.attempts()).isEqualTo(3);
        assertThat(bounced.lastError()).contains("maximum lifetime");
    }

    @Test
    void permanentExceptionBouncesAtOnce() {
        RecordingHandler handler = new RecordingHandler().failing(1);
        handler.failWith = new PermanentException("mailbox does not exist");
        RetrySpool spool = started(b -> b.handler(handler));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitState(spool, id, QueueState.BOUNCE);
        MessageMetadata bounced = spool.getMessage(id).metadata();
        assertThat(bounced.attempts()).isEqualTo(1);
        assertThat(bounced.lastError()).isEqualTo(PermanentException.class.getName() + ": mailbox does not exist");
    }

    @Test
    void anyOtherExceptionIsRetryable() {
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            throw new IllegalStateException("socket closed");
        }));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitState(spool, id, QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().lastError())
                .isEqualTo("java.lang.IllegalStateException: socket closed");
    }

    @Test
    void errorThrownByAHandlerIsContainedAndTheWorkerGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        RetrySpool spool = started(b -> b.concurrency(1).handler((context, message, body) -> {
            if (calls.incrementAndGet() == 1) {
                throw new StackOverflowError("deep");
            }
        }));

        String first = spool.enqueue(Map.of(), bytes("1"));
        awaitState(spool, first, QueueState.DEFERRED);
        String second = spool.enqueue(Map.of(), bytes("2"));

        awaitGone(spool, second);
        assertThat(spool.getMessage(first).metadata().lastError()).isEqualTo("java.lang.StackOverflowError: deep");
    }

    // ---- named retry policies ----

    @Test
    void namedPolicyIsChosenByTheEnqueueRequest() {
        RetrySpool spool = started(b -> b.handler(new RecordingHandler().failing(1))
                .namedRetryPolicy("fast", FixedRetryPolicy.of(Duration.ofSeconds(7))));

        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("x")).retryPolicy("fast").build());

        awaitState(spool, id, QueueState.DEFERRED);
        MessageMetadata deferred = spool.getMessage(id).metadata();
        assertThat(deferred.retryPolicyName()).isEqualTo("fast");
        assertThat(deferred.nextRetry()).isEqualTo(START.plusSeconds(7));
    }

    @Test
    void namedPolicyIsChosenByTheRetryPolicyHeader() {
        RetrySpool spool = started(b -> b.handler(new RecordingHandler().failing(1))
                .namedRetryPolicy("fast", FixedRetryPolicy.of(Duration.ofSeconds(7))));

        String id = spool.enqueue(headers(RetrySpool.RETRY_POLICY_HEADER, "fast"), bytes("x"));

        awaitState(spool, id, QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().retryPolicyName()).isEqualTo("fast");
        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(START.plusSeconds(7));
    }

    @Test
    void namedPolicyIsChosenBySetRetryPolicy() {
        RetrySpool spool = spool(b -> b.handler(new RecordingHandler().failing(1))
                .namedRetryPolicy("slow", FixedRetryPolicy.of(Duration.ofHours(3))));
        String id = spool.enqueue(Map.of(), bytes("x"));

        spool.setRetryPolicy(id, "slow");
        spool.start();

        awaitState(spool, id, QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().retryPolicyName()).isEqualTo("slow");
        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(START.plus(Duration.ofHours(3)));
    }

    @Test
    void unknownPolicyNameFallsBackToTheDefaultPolicy() {
        RetrySpool spool = started(b -> b.handler(new RecordingHandler().failing(1))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(9))));

        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("x")).retryPolicy("nonexistent").build());

        awaitState(spool, id, QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(9)));
    }

    // ---- bounces ----

    @Test
    void messageWithoutAnAcceptingHandlerBouncesWithAReason() {
        MessageHandler picky = new MessageHandler() {
            @Override
            public boolean canHandle(Map<String, String> headers) {
                return "sms".equals(headers.get("channel"));
            }

            @Override
            public void handle(MessageContext context, Message message, MessageBody body) {
            }
        };
        RetrySpool spool = started(b -> b.handler(picky));

        String id = spool.enqueue(headers("channel", "fax"), bytes("x"));

        awaitState(spool, id, QueueState.BOUNCE);
        MessageMetadata bounced = spool.getMessage(id).metadata();
        assertThat(bounced.lastError()).contains("no handler accepts").contains("[channel]")
                .as("header values are never copied into lastError").doesNotContain("fax");
        assertThat(bounced.attempts()).isZero();
    }

    @Test
    void firstHandlerWhoseCanHandleAcceptsGetsTheMessage() {
        List<String> calledBy = new CopyOnWriteArrayList<>();
        RetrySpool spool = started(b -> b
                .handler(handlerFor("email", calledBy))
                .handler(handlerFor("sms", calledBy))
                .handler(handlerFor("sms", calledBy)));

        String id = spool.enqueue(headers("channel", "sms"), bytes("x"));

        awaitGone(spool, id);
        assertThat(calledBy).containsExactly("sms");
    }

    private static MessageHandler handlerFor(String channel, List<String> calledBy) {
        return new MessageHandler() {
            @Override
            public boolean canHandle(Map<String, String> headers) {
                return channel.equals(headers.get("channel"));
            }

            @Override
            public void handle(MessageContext context, Message message, MessageBody body) {
                calledBy.add(channel);
            }
        };
    }

    @Test
    void bounceHandlerReceivesTheBouncedMessageWhichIsThenDeleted() {
        RecordingHandler delivery = new RecordingHandler().failing(1);
        delivery.failWith = new PermanentException("rejected");
        List<String> bounceErrors = new CopyOnWriteArrayList<>();
        RetrySpool spool = started(b -> b.handler(delivery)
                .bounceHandler((context, message, body) -> bounceErrors.add(message.metadata().lastError())));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitGone(spool, id);
        assertThat(bounceErrors).containsExactly(PermanentException.class.getName() + ": rejected");
        assertThat(delivery.calls()).isEqualTo(1);
    }

    @Test
    void bouncedMessageIsArchivedAfterItsBounceHandlerWhenArchiveBounceIsOn() {
        RecordingHandler delivery = new RecordingHandler().failing(1);
        delivery.failWith = new PermanentException("rejected");
        RecordingHandler bounce = new RecordingHandler();
        RetrySpool spool = started(b -> b.handler(delivery).bounceHandler(bounce).archiveBounce(true));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitState(spool, id, QueueState.ARCHIVED);
        assertThat(bounce.ids).containsExactly(id);
        assertThat(spool.getMessage(id).metadata().lastError()).contains("rejected");
        assertThat(spool.getMessage(id).metadata().archivedAs()).isEqualTo(ArchiveReason.BOUNCED);
    }

    @Test
    void failingBounceHandlerIsRetriedWithBackoffAndNeverHandsTheMessageBackToDelivery() {
        RecordingHandler delivery = new RecordingHandler().failing(1);
        delivery.failWith = new PermanentException("rejected");
        RecordingHandler bounce = new RecordingHandler().failing(2);
        bounce.failWith = new IllegalStateException("notifier down");
        RetrySpool spool = started(b -> b.handler(delivery).bounceHandler(bounce).archiveBounce(true)
                .retryPolicy(ExponentialRetryPolicy.ofIntervals(Duration.ofMinutes(1), Duration.ofMinutes(10))));

        String id = spool.enqueue(Map.of(), bytes("x"));

        await().atMost(WAIT).until(() -> bounce.calls() == 1
                && "1".equals(spool.getMessage(id).metadata().headers().get("x-retryspool-bounce-attempts")));
        MessageMetadata afterFirst = spool.getMessage(id).metadata();
        assertThat(afterFirst.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(afterFirst.nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(afterFirst.lastError()).contains("rejected");
        assertThat(afterFirst.attempts()).isEqualTo(1);
        assertThat(afterFirst.headers()).containsEntry("x-retryspool-bounce-error",
                "java.lang.IllegalStateException: notifier down");

        clock.advance(Duration.ofMinutes(1));
        await().atMost(WAIT).until(() -> "2".equals(spool.getMessage(id).metadata().headers().get("x-retryspool-bounce-attempts")));
        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(11)));

        clock.advance(Duration.ofMinutes(10));
        awaitState(spool, id, QueueState.ARCHIVED);
        assertThat(bounce.calls()).isEqualTo(3);
        assertThat(delivery.calls()).isEqualTo(1);
        assertThat(spool.getMessage(id).metadata().attempts()).isEqualTo(1);
        assertThat(spool.getMessage(id).metadata().lastError()).contains("rejected");
    }

    @Test
    void withoutBounceHandlersBouncedMessagesStayInBounce() throws InterruptedException {
        RecordingHandler delivery = new RecordingHandler().failing(1);
        delivery.failWith = new PermanentException("rejected");
        RetrySpool spool = started(b -> b.handler(delivery));

        String id = spool.enqueue(Map.of(), bytes("x"));
        awaitState(spool, id, QueueState.BOUNCE);
        clock.advance(Duration.ofDays(1));
        letWorkersPoll();

        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.BOUNCE);
        assertThat(delivery.calls()).isEqualTo(1);
    }

    // ---- hold, release, requeue, moves ----

    @Test
    void heldMessageIsNeverProcessedAndReleasingItMakesItDueNow() throws InterruptedException {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = spool(b -> b.handler(handler));
        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("x")).notBefore(START.plus(Duration.ofDays(2))).build());
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        spool.start();

        clock.advance(Duration.ofDays(3));
        letWorkersPoll();
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.HOLD);
        assertThat(handler.calls()).isZero();

        spool.moveToState(id, QueueState.HOLD, QueueState.INCOMING);

        awaitGone(spool, id);
        assertThat(handler.ids).containsExactly(id);
    }

    @Test
    void releasedMessageIsDueAtOnceWithAFreshBudgetEvenIfItWasDeferredFarAhead() {
        RecordingHandler handler = new RecordingHandler().failing(1);
        RetrySpool spool = started(b -> b.handler(handler).retryPolicy(FixedRetryPolicy.of(Duration.ofDays(1))));
        String id = spool.enqueue(Map.of(), bytes("x"));
        awaitState(spool, id, QueueState.DEFERRED);

        spool.moveToState(id, QueueState.DEFERRED, QueueState.HOLD);
        spool.moveToState(id, QueueState.HOLD, QueueState.INCOMING);

        awaitGone(spool, id);
        assertThat(handler.attempts).as("the release starts the attempts again").containsExactly(1, 1);
    }

    @Test
    void requeuedBouncedMessageGetsAFreshBudgetOfAttemptsAndLifetime() {
        RecordingHandler handler = new RecordingHandler().failing(3);
        RetrySpool spool = started(b -> b.handler(handler).maxAttempts(2).maxLifetime(Duration.ofHours(1))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(1))));
        String id = spool.enqueue(Map.of(), bytes("x"));
        awaitDeferredAfter(spool, id, 1);
        clock.advance(Duration.ofMinutes(1));
        awaitState(spool, id, QueueState.BOUNCE);
        clock.advance(Duration.ofHours(2));

        spool.moveToState(id, QueueState.BOUNCE, QueueState.INCOMING);

        awaitDeferredAfter(spool, id, 1);
        MessageMetadata requeued = spool.getMessage(id).metadata();
        assertThat(requeued.created()).as("created keeps the original time").isEqualTo(START);
        clock.advance(Duration.ofMinutes(1));
        awaitGone(spool, id);
        assertThat(handler.attempts).as("two attempts before the bounce, two after the requeue")
                .containsExactly(1, 2, 1, 2);
    }

    @Test
    void archivedMessageCanBeRequeuedAndIsDeliveredAgain() {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = started(b -> b.handler(handler).archiveSuccess(true));
        String id = spool.enqueue(Map.of(), bytes("again"));
        awaitState(spool, id, QueueState.ARCHIVED);

        spool.moveToState(id, QueueState.ARCHIVED, QueueState.INCOMING);

        await().atMost(WAIT).until(() -> handler.calls() == 2);
        awaitState(spool, id, QueueState.ARCHIVED);
        assertThat(handler.bodies).containsExactly("again", "again");
    }

    @Test
    void requeueingAnArchivedMessageClearsItsArchiveReason() {
        RetrySpool spool = spool(b -> b.archiveSuccess(true));
        String id = spool.enqueue(Map.of(), bytes("x"));
        spool.process(id, new RecordingHandler());
        assertThat(spool.getMessage(id).metadata().archivedAs()).isEqualTo(ArchiveReason.DELIVERED);

        spool.moveToState(id, QueueState.ARCHIVED, QueueState.INCOMING);

        MessageMetadata requeued = spool.getMessage(id).metadata();
        assertThat(requeued.state()).isEqualTo(QueueState.INCOMING);
        assertThat(requeued.archivedAs()).isNull();
    }

    @Test
    void moveToStateFailsWithAConflictWhenTheMessageIsNotInFrom() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(Map.of(), bytes("x"));

        assertThatThrownBy(() -> spool.moveToState(id, QueueState.HOLD, QueueState.INCOMING))
                .isInstanceOfSatisfying(StateConflictException.class, e -> {
                    assertThat(e.actualState()).isEqualTo(QueueState.INCOMING);
                    assertThat(e.messageId()).isEqualTo(id);
                });
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.INCOMING);
    }

    @Test
    void moveToStateRejectsActiveAsTargetAndUnknownIds() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(Map.of(), bytes("x"));

        assertThatThrownBy(() -> spool.moveToState(id, QueueState.INCOMING, QueueState.ACTIVE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
        assertThatThrownBy(() -> spool.moveToState(id, null, QueueState.HOLD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> spool.moveToState(id, QueueState.INCOMING, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
        assertThatThrownBy(() -> spool.moveToState("no-such-id", QueueState.INCOMING, QueueState.HOLD))
                .isInstanceOf(MessageNotFoundException.class).hasMessageContaining("no-such-id");
    }

    @Test
    void findMessageReturnsTheMessageWhileItExistsAndEmptyOtherwise() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(EnqueueRequest.builder().header("type", "x").destination("mx.example.com")
                .body(bytes("x")).build());

        assertThat(spool.findMessage(id)).hasValueSatisfying(message -> {
            assertThat(message.id()).isEqualTo(id);
            assertThat(message.metadata()).isEqualTo(spool.getMessage(id).metadata());
            assertThat(message.metadata().destination()).isEqualTo("mx.example.com");
        });
        assertThat(spool.findMessage("no-such-id")).as("never enqueued").isEmpty();
        spool.delete(id);
        assertThat(spool.findMessage(id)).as("deleted").isEmpty();
        assertThatThrownBy(() -> spool.findMessage(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id:");
    }

    @Test
    void holdDuringProcessingIsNotOverwrittenByTheWorker() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            running.countDown();
            proceed.await();
        }));
        String id = spool.enqueue(Map.of(), bytes("x"));
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        spool.moveToState(id, QueueState.ACTIVE, QueueState.HOLD);
        proceed.countDown();
        letWorkersPoll();

        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.HOLD);
    }

    @Test
    void aMessageHeldWhileItsAttemptRunsIsReleasedOnlyAfterThatAttemptAndNeverRunsTwiceAtOnce() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        RetrySpool spool = started(b -> b.concurrency(4).handler((context, message, body) -> {
            mostAtOnce.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                if (calls.incrementAndGet() == 1) {
                    running.countDown();
                    proceed.await();
                }
            } finally {
                concurrent.decrementAndGet();
            }
        }));
        String id = spool.enqueue(Map.of(), bytes("x"));
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        spool.moveToState(id, QueueState.ACTIVE, QueueState.HOLD);

        assertThatThrownBy(() -> spool.moveToState(id, QueueState.HOLD, QueueState.INCOMING))
                .isInstanceOf(StateConflictException.class).hasMessageContaining("still runs");
        assertThatThrownBy(() -> spool.moveToState(id, QueueState.ACTIVE, QueueState.INCOMING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
        proceed.countDown();
        await().atMost(WAIT).ignoreException(StateConflictException.class)
                .until(() -> {
                    spool.moveToState(id, QueueState.HOLD, QueueState.INCOMING);
                    return true;
                });
        awaitGone(spool, id);
        assertThat(calls).hasValue(2);
        assertThat(mostAtOnce).as("never two attempts at once").hasValue(1);
    }

    // ---- header backchannel, MDC, follow-ups ----

    @Test
    void headersSetByAFailingHandlerArePersisted() {
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            context.setHeader("x-remote-id", "r-" + context.attempt());
            throw new RetryableException("later");
        }));

        String id = spool.enqueue(headers("to", "bob"), bytes("x"));

        awaitState(spool, id, QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().headers())
                .containsExactly(Map.entry("to", "bob"), Map.entry("x-remote-id", "r-1"));
    }

    @Test
    void headersSetByASucceedingHandlerArePersistedWhenArchived() {
        RetrySpool spool = started(b -> b.archiveSuccess(true).handler((context, message, body) ->
                context.setHeaders(Map.of("x-receipt", "42"))));

        String id = spool.enqueue(headers("to", "bob"), bytes("x"));

        awaitState(spool, id, QueueState.ARCHIVED);
        assertThat(spool.getMessage(id).metadata().headers()).containsEntry("x-receipt", "42").containsEntry("to", "bob");
    }

    @Test
    void messageIdAndAttemptAreInTheMdcWhileTheHandlerRuns() {
        Map<String, String> mdc = new ConcurrentHashMap<>();
        RetrySpool spool = started(b -> b.handler((context, message, body) -> mdc.putAll(MDC.getCopyOfContextMap())));

        String id = spool.enqueue(Map.of(), bytes("x"));

        awaitGone(spool, id);
        assertThat(mdc).containsEntry("retryspool.messageId", id).containsEntry("retryspool.attempt", "1");
    }

    @Test
    void handlerThatEnqueuesAFollowUpGetsAFreshId() {
        AtomicReference<RetrySpool> self = new AtomicReference<>();
        List<String> followUps = new CopyOnWriteArrayList<>();
        List<String> delivered = new CopyOnWriteArrayList<>();
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            delivered.add(message.id());
            if (!message.metadata().headers().containsKey("follow-up")) {
                followUps.add(self.get().enqueue(headers("follow-up", "yes"), bytes("next")));
            }
        }));
        self.set(spool);

        String id = spool.enqueue(Map.of(), bytes("first"));

        await().atMost(WAIT).until(() -> delivered.size() == 2);
        assertThat(followUps).hasSize(1).doesNotContain(id);
        assertThat(delivered).containsExactly(id, followUps.get(0));
    }

    // ---- enqueue variants ----

    @Test
    void idempotentEnqueueReturnsTheExistingIdAndStoresNothingNew() {
        RetrySpool spool = spool(b -> { });
        String first = spool.enqueue(EnqueueRequest.builder().body(bytes("a")).idempotencyKey("order-1").build());

        String second = spool.enqueue(EnqueueRequest.builder().body(bytes("b")).idempotencyKey("order-1").build());

        assertThat(second).isEqualTo(first);
        assertThat(spool.count(QueueState.INCOMING)).isEqualTo(1);
        assertThat(readBody(spool, first)).isEqualTo("a");
    }

    @Test
    void delayedMessageIsNotDeliveredBeforeItsNotBeforeTime() throws InterruptedException {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = started(b -> b.handler(handler));

        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("later")).notBefore(START.plus(Duration.ofMinutes(10))).build());

        assertThat(spool.getMessage(id).metadata().nextRetry()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(9));
        letWorkersPoll();
        assertThat(handler.calls()).isZero();
        clock.advance(Duration.ofMinutes(1));
        awaitGone(spool, id);
    }

    @Test
    void higherPriorityMessagesAreDeliveredFirst() {
        List<String> order = new CopyOnWriteArrayList<>();
        RetrySpool spool = spool(b -> b.concurrency(1).batchSize(1)
                .handler((context, message, body) -> order.add(new String(body.readAllBytes(), StandardCharsets.UTF_8))));
        spool.enqueue(EnqueueRequest.builder().body(bytes("low")).priority(1).build());
        clock.advance(Duration.ofSeconds(1));
        spool.enqueue(EnqueueRequest.builder().body(bytes("default")).build());
        clock.advance(Duration.ofSeconds(1));
        spool.enqueue(EnqueueRequest.builder().body(bytes("urgent")).priority(100).build());
        clock.advance(Duration.ofSeconds(1));
        spool.enqueue(EnqueueRequest.builder().body(bytes("default-later")).build());

        spool.start();

        await().atMost(WAIT).until(() -> order.size() == 4);
        assertThat(order).containsExactly("urgent", "default", "default-later", "low");
    }

    @Test
    void aStartedSpoolHoldsAtMostTwoBatchesBeyondItsWorkers() throws InterruptedException {
        int concurrency = 2;
        int batchSize = 5;
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        RetrySpool spool = spool(b -> b.concurrency(concurrency).batchSize(batchSize)
                .handler((context, message, body) -> {
                    started.incrementAndGet();
                    proceed.await();
                }));
        spool.enqueueAll(java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> EnqueueRequest.builder().body(bytes("m" + i)).build()).toList());

        spool.start();
        int held = concurrency + 2 * batchSize;
        await().atMost(WAIT).until(() -> spool.count(QueueState.ACTIVE) == held);
        letWorkersPoll();

        assertThat(spool.count(QueueState.ACTIVE)).as("claimed: running plus two batches").isEqualTo(held);
        assertThat(spool.count(QueueState.INCOMING)).isEqualTo(40 - held);
        assertThat(started).hasValue(concurrency);
        proceed.countDown();
        await().atMost(WAIT).until(() -> spool.count(QueueState.INCOMING) + spool.count(QueueState.ACTIVE) == 0);
        assertThat(started).hasValue(40);
    }

    @Test
    void whileMessagesFlowAMessageEnqueuedByAnotherInstanceIsClaimedWithoutWaitingForThePollInterval() {
        List<String> handled = new CopyOnWriteArrayList<>();
        RetrySpool producer = spool(b -> b.pollInterval(Duration.ofHours(1)));
        AtomicReference<String> second = new AtomicReference<>();
        RetrySpool consumer = started(b -> b.pollInterval(Duration.ofHours(1)).handler((context, message, body) -> {
            handled.add(message.id());
            if (second.get() == null) {
                // after the claim that found the first message; no wake-up of the consumer follows (except
                // PostgreSQL's NOTIFY), so only the claim thread's own look-again while messages flow finds it
                second.set(producer.enqueue(Map.of(), bytes("second")));
            }
        }));

        String first = consumer.enqueue(Map.of(), bytes("first"));

        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() != null && handled.contains(second.get()));
        assertThat(handled).containsExactly(first, second.get());
    }

    @Test
    void defaultPriorityAppliesWhenTheRequestNamesNone() {
        RetrySpool spool = spool(b -> b.defaultPriority(42));

        String id = spool.enqueue(Map.of(), bytes("x"));

        assertThat(spool.getMessage(id).metadata().priority()).isEqualTo(42);
    }

    @Test
    void enqueueAllStoresTheBatchInOrder() {
        RetrySpool spool = spool(b -> { });

        List<String> ids = spool.enqueueAll(List.of(
                EnqueueRequest.builder().body(bytes("one")).build(),
                EnqueueRequest.builder().body(bytes("two")).idempotencyKey("k").build(),
                EnqueueRequest.builder().body(bytes("three")).idempotencyKey("k").build()));

        assertThat(ids).hasSize(3);
        assertThat(ids.get(2)).isEqualTo(ids.get(1));
        assertThat(readBody(spool, ids.get(0))).isEqualTo("one");
        assertThat(readBody(spool, ids.get(1))).isEqualTo("two");
        assertThat(spool.count(QueueState.INCOMING)).isEqualTo(2);
    }

    @Test
    void enqueueFromAStreamRecordsTheSizeAndLeavesTheStreamOpen() throws IOException {
        RetrySpool spool = spool(b -> { });
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        AtomicInteger closes = new AtomicInteger();
        ByteArrayInputStream in = new ByteArrayInputStream(body) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };

        String id = spool.enqueue(Map.of(), in);

        assertThat(spool.getMessage(id).metadata().size()).isEqualTo(body.length);
        assertThat(closes).hasValue(0);
        try (MessageBody stored = spool.openBody(id)) {
            assertThat(stored.size()).isEqualTo(body.length);
            assertThat(stored.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void enqueueTransactionCommitStoresHeadersAndBody() throws IOException {
        RetrySpool spool = spool(b -> { });
        EnqueueTransaction tx = spool.beginEnqueue();
        String id = tx.messageId();
        tx.write(bytes("part one, "));
        tx.setHeader("kind", "report");
        tx.write(bytes("part two"));
        tx.setHeaders(Map.of(RetrySpool.RETRY_POLICY_HEADER, "fast"));

        assertThat(exists(spool, id)).isFalse();
        assertThat(tx.commit()).isEqualTo(id);

        MessageMetadata stored = spool.getMessage(id).metadata();
        assertThat(stored.headers()).containsEntry("kind", "report");
        assertThat(stored.retryPolicyName()).isEqualTo("fast");
        assertThat(stored.size()).isEqualTo("part one, part two".length());
        assertThat(readBody(spool, id)).isEqualTo("part one, part two");
    }

    @Test
    void enqueueTransactionAbortLeavesNothingBehind() throws IOException {
        RetrySpool spool = spool(b -> { });
        EnqueueTransaction tx = spool.beginEnqueue();
        tx.write(bytes("discard me"));

        tx.abort();
        tx.abort();

        assertThat(exists(spool, tx.messageId())).isFalse();
        assertThat(spool.counts().values()).allMatch(count -> count == 0);
        assertThatThrownBy(() -> dataStore.openReader(tx.messageId())).isInstanceOf(MissingBodyException.class);
    }

    @Test
    void enqueueTransactionClosedWithoutCommitIsAborted() throws IOException {
        RetrySpool spool = spool(b -> { });
        String id;
        try (EnqueueTransaction tx = spool.beginEnqueue()) {
            id = tx.messageId();
            tx.write(bytes("abandoned"));
        }

        assertThat(exists(spool, id)).isFalse();
    }

    @Test
    void enqueueTransactionRejectsUseAfterCommitOrAbort() throws IOException {
        RetrySpool spool = spool(b -> { });
        EnqueueTransaction committed = spool.beginEnqueue();
        committed.write(bytes("x"));
        committed.commit();
        EnqueueTransaction aborted = spool.beginEnqueue();
        aborted.abort();

        for (EnqueueTransaction tx : List.of(committed, aborted)) {
            assertThatThrownBy(() -> tx.write(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> tx.setHeader("a", "b")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
        }
        assertThat(spool.count(QueueState.INCOMING)).isEqualTo(1);
    }

    // ---- admin operations ----

    @Test
    void processRunsOneMessageNowWithTheGivenHandlerEvenIfNotDue() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(EnqueueRequest.builder().body(bytes("x")).notBefore(START.plus(Duration.ofDays(1))).build());
        RecordingHandler handler = new RecordingHandler().failing(1);

        spool.process(id, handler);

        assertThat(handler.ids).containsExactly(id);
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().attempts()).isEqualTo(1);

        spool.process(id, handler);
        assertThat(exists(spool, id)).isFalse();
    }

    @Test
    void processRejectsMessagesInBounceOrArchived() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(Map.of(), bytes("x"));
        spool.moveToState(id, QueueState.INCOMING, QueueState.ARCHIVED);

        assertThatThrownBy(() -> spool.process(id, new RecordingHandler()))
                .isInstanceOf(StateConflictException.class);
        assertThatThrownBy(() -> spool.process("missing", new RecordingHandler()))
                .isInstanceOf(MessageNotFoundException.class);
    }

    @Test
    void updateMetadataDoesNotChangeTheArchiveReason() {
        RetrySpool spool = started(b -> b.archiveSuccess(true).handler((context, message, body) -> { }));
        String id = spool.enqueue(Map.of(), bytes("x"));
        awaitState(spool, id, QueueState.ARCHIVED);

        assertThatThrownBy(() -> spool.updateMetadata(id, m -> m.toBuilder().archivedAs(ArchiveReason.BOUNCED).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("change:")
                .hasMessageContaining("archive reason");
        assertThat(spool.getMessage(id).metadata().archivedAs()).isEqualTo(ArchiveReason.DELIVERED);
    }

    @Test
    void updateMetadataDoesNotChangeTheDestination() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(EnqueueRequest.builder().destination("example.org").body(bytes("x")).build());
        String without = spool.enqueue(Map.of(), bytes("y"));

        assertThatThrownBy(() -> spool.updateMetadata(id, m -> m.toBuilder().destination("example.net").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("change: the destination of message " + id + " is fixed when it is enqueued and cannot change");
        assertThatThrownBy(() -> spool.updateMetadata(id, m -> m.toBuilder().destination(null).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("destination");
        assertThatThrownBy(() -> spool.updateMetadata(without, m -> m.toBuilder().destination("example.net").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("destination");
        spool.updateMetadata(id, m -> m.withPriority(77));

        assertThat(spool.getMessage(id).metadata().destination()).isEqualTo("example.org");
        assertThat(spool.getMessage(id).metadata().priority()).isEqualTo(77);
        assertThat(spool.getMessage(without).metadata().destination()).isNull();
    }

    @Test
    void updateMetadataChangesFieldsButNotIdOrState() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(Map.of(), bytes("x"));
        clock.advance(Duration.ofSeconds(5));

        spool.updateMetadata(id, m -> m.withPriority(77).withHeader("note", "vip"));

        MessageMetadata updated = spool.getMessage(id).metadata();
        assertThat(updated.priority()).isEqualTo(77);
        assertThat(updated.headers()).containsEntry("note", "vip");
        assertThat(updated.updated()).isEqualTo(START.plusSeconds(5));
        assertThatThrownBy(() -> spool.updateMetadata(id, m -> m.withState(QueueState.HOLD)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moveToState");
        assertThatThrownBy(() -> spool.updateMetadata(id, m -> m.toBuilder().id("other").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("change:");
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.INCOMING);
    }

    @Test
    void deleteRemovesMetadataAndBody() {
        RetrySpool spool = spool(b -> { });
        String id = spool.enqueue(Map.of(), bytes("x"));

        spool.delete(id);

        assertThat(exists(spool, id)).isFalse();
        assertThatThrownBy(() -> dataStore.openReader(id)).isInstanceOf(MissingBodyException.class);
        assertThatThrownBy(() -> spool.delete(id)).isInstanceOf(MessageNotFoundException.class);
        assertThatThrownBy(() -> spool.openBody(id)).isInstanceOf(MessageNotFoundException.class);
    }

    @Test
    void listPagesThroughAStateWithCursors() {
        RetrySpool spool = spool(b -> { });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(spool.enqueue(Map.of("n", Integer.toString(i)), bytes("x")));
            clock.advance(Duration.ofMillis(1));
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Message> page = spool.list(QueueState.INCOMING, ListOptions.builder().limit(3).after(cursor).build());
            assertThat(page.total()).isEqualTo(7);
            page.items().forEach(message -> seen.add(message.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(spool.list(QueueState.HOLD, ListOptions.defaults()).items()).isEmpty();
    }

    @Test
    void countsHoldEveryStateIncludingZeros() {
        RetrySpool spool = spool(b -> { });
        String held = spool.enqueue(Map.of(), bytes("x"));
        spool.enqueue(Map.of(), bytes("y"));
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);

        assertThat(spool.counts()).containsOnlyKeys(EnumSet.allOf(QueueState.class))
                .containsEntry(QueueState.INCOMING, 1L).containsEntry(QueueState.HOLD, 1L)
                .containsEntry(QueueState.ARCHIVED, 0L);
        assertThat(spool.count(QueueState.HOLD)).isEqualTo(1);
    }

    @Test
    void codecsAreAppliedToStoredBodiesAndUndoneForHandlers() throws IOException {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = spool(b -> b.handler(handler).codec(new ReversingCodec()));

        String id = spool.enqueue(Map.of(), bytes("abc"));

        try (var raw = dataStore.openReader(id)) {
            assertThat(new String(raw.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("cba");
        }
        assertThat(spool.getMessage(id).metadata().size()).isEqualTo(3);
        spool.start();
        awaitGone(spool, id);
        assertThat(handler.bodies).containsExactly("abc");
    }

    /** A toy codec that stores bodies reversed: enough to see that encode and decode are applied. */
    private static final class ReversingCodec implements io.retryspool.codec.DataCodec {
        @Override
        public String name() {
            return "reverse";
        }

        @Override
        public java.io.OutputStream encode(String messageId, java.io.OutputStream encoded) {
            return new java.io.ByteArrayOutputStream() {
                @Override
                public void close() throws IOException {
                    byte[] plain = toByteArray();
                    for (int i = plain.length - 1; i >= 0; i--) {
                        encoded.write(plain[i]);
                    }
                    encoded.close();
                }
            };
        }

        @Override
        public java.io.InputStream decode(String messageId, java.io.InputStream encoded) throws IOException {
            byte[] stored = encoded.readAllBytes();
            encoded.close();
            byte[] plain = new byte[stored.length];
            for (int i = 0; i < stored.length; i++) {
                plain[i] = stored[stored.length - 1 - i];
            }
            return new ByteArrayInputStream(plain);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsStored() {
        RetrySpool spool = spool(b -> { });
        Map<String, String> nullName = new java.util.HashMap<>();
        nullName.put(null, "v");

        assertThatThrownBy(() -> spool.enqueue(Map.of(), (byte[]) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("body:");
        assertThatThrownBy(() -> spool.enqueue(nullName, bytes("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("headers:");
        assertThatThrownBy(() -> spool.enqueue(Map.of("", "v"), bytes("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("headers:");
        assertThatThrownBy(() -> spool.getMessage(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id:");
        assertThatThrownBy(() -> spool.delete(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id:");
        assertThatThrownBy(() -> spool.enqueueAll(Collections.singletonList(null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requests[0]:");
        assertThatThrownBy(() -> spool.list((QueueState) null, ListOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("state:");
        assertThatThrownBy(() -> spool.stop(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("grace:");
        assertThat(spool.counts().values()).allMatch(count -> count == 0);
    }

    // ---- lifecycle ----

    @Test
    void gracefulStopWaitsForARunningHandlerToFinish() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            running.countDown();
            Thread.sleep(300);
            finished.incrementAndGet();
        }));
        String id = spool.enqueue(Map.of(), bytes("slow"));
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        spool.stop(Duration.ofSeconds(10));

        assertThat(finished).hasValue(1);
        assertThat(exists(spool, id)).isFalse();
        assertThat(spool.isRunning()).isFalse();
    }

    @Test
    void stopInterruptsHandlersAfterTheGraceWithoutCountingTheAttempt() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        RetrySpool spool = started(b -> b.handler((context, message, body) -> {
            running.countDown();
            new CountDownLatch(1).await();
        }));
        String id = spool.enqueue(Map.of(), bytes("stuck"));
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

        spool.stop(Duration.ofMillis(100));

        MessageMetadata back = spool.getMessage(id).metadata();
        assertThat(back.state()).isEqualTo(QueueState.INCOMING);
        assertThat(back.attempts()).isZero();
        assertThat(back.lastError()).isNull();
    }

    @Test
    void spoolStartsAgainAfterStop() {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = started(b -> b.handler(handler));
        spool.stop(Duration.ofSeconds(1));
        String id = spool.enqueue(Map.of(), bytes("x"));

        spool.start();

        awaitGone(spool, id);
        assertThat(handler.ids).containsExactly(id);
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        RetrySpool spool = started(b -> { });

        spool.close();
        spool.close();

        assertThat(spool.isRunning()).isFalse();
        assertThatThrownBy(() -> spool.enqueue(Map.of(), bytes("x"))).isInstanceOf(SpoolClosedException.class);
        assertThatThrownBy(() -> spool.getMessage("x")).isInstanceOf(SpoolClosedException.class);
        assertThatThrownBy(spool::counts).isInstanceOf(SpoolClosedException.class);
        assertThatThrownBy(spool::start).isInstanceOf(SpoolClosedException.class);
    }

    // ---- faults: bad text, hung handlers, retention ----

    @Test
    void errorTextsWithNulAndUnpairedSurrogatesAreStoredCleanedWithoutHarmToTheirGroup() {
        String nasty = "bad" + (char) 0 + "byte" + (char) 0xD800 + "and" + (char) 0xDC00 + "more";
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        RetrySpool spool = started(b -> b.concurrency(4).retryPolicy(FixedRetryPolicy.of(Duration.ofHours(1)))
                .handler((context, message, body) -> {
                    deliveries.computeIfAbsent(message.id(), ignored -> new AtomicInteger()).incrementAndGet();
                    if (message.metadata().headers().containsKey("nasty")) {
                        throw new RetryableException(nasty);
                    }
                }));
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            requests.add(EnqueueRequest.builder().header("n", Integer.toString(i)).body(bytes("m" + i)).build());
        }
        requests.add(3, EnqueueRequest.builder().header("nasty", "yes").body(bytes("bad")).build());
        List<String> ids = spool.enqueueAll(requests);
        String bad = ids.get(3);

        awaitState(spool, bad, QueueState.DEFERRED);
        await().atMost(WAIT).until(() -> spool.counts().get(QueueState.DEFERRED) == 1
                && spool.counts().values().stream().mapToLong(Long::longValue).sum() == 1);

        char replacement = (char) 0xFFFD;
        assertThat(spool.getMessage(bad).metadata().lastError()).isEqualTo(RetryableException.class.getName()
                + ": bad" + replacement + "byte" + replacement + "and" + replacement + "more");
        assertThat(deliveries).hasSize(8).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
    }

    @Test
    void aHungHandlerHoldsNoMessagesHostageWhileAnotherInstanceWaits() {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, String> deliveredBy = new ConcurrentHashMap<>();
        Clock realClock = Clock.systemUTC();
        RetrySpool stuck = spool(b -> b.clock(realClock).instanceId("stuck").concurrency(1).batchSize(10)
                .leaseTimeout(Duration.ofMillis(900)).attemptTimeout(Duration.ZERO)
                .handler((context, message, body) -> {
                    if (message.metadata().headers().containsKey("hang")) {
                        awaitIgnoringInterrupts(release);
                    }
                    deliveredBy.put(message.id(), "stuck");
                }));
        String hung = stuck.enqueue(headers("hang", "yes"), bytes("hang"));
        stuck.start();
        await().atMost(WAIT).until(() -> stuck.getMessage(hung).metadata().state() == QueueState.ACTIVE);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(stuck.enqueue(Map.of(), bytes("m" + i)));
        }
        RetrySpool healthy = started(b -> b.clock(realClock).instanceId("healthy").leaseTimeout(Duration.ofMillis(900))
                .handler((context, message, body) -> deliveredBy.put(message.id(), "healthy")));
        try {
            await("the other messages are delivered by the healthy instance").atMost(WAIT)
                    .until(() -> deliveredBy.keySet().containsAll(others));

            assertThat(others).allSatisfy(id -> assertThat(deliveredBy).containsEntry(id, "healthy"));
            assertThat(stuck.getMessage(hung).metadata().state()).as("no attempt timeout: the hung attempt goes on")
                    .isEqualTo(QueueState.ACTIVE);
            assertThat(stuck.isRunning()).isTrue();
        } finally {
            release.countDown();
        }
        awaitGone(stuck, hung);
    }

    @Test
    void anAttemptPastTheAttemptTimeoutIsARetryableFailureAndItsWorkerIsReplaced() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger hangs = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean hungReturned = new java.util.concurrent.atomic.AtomicBoolean();
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        RetrySpool spool = started(b -> b.clock(Clock.systemUTC()).concurrency(1)
                .attemptTimeout(Duration.ofMillis(300)).retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(200)))
                .handler((context, message, body) -> {
                    if (message.metadata().headers().containsKey("hang") && hangs.incrementAndGet() == 1) {
                        awaitIgnoringInterrupts(release);
                        hungReturned.set(true);
                        return;
                    }
                    deliveries.computeIfAbsent(message.id(), ignored -> new AtomicInteger()).incrementAndGet();
                }));
        try {
            String hung = spool.enqueue(headers("hang", "yes"), bytes("hang"));
            await().atMost(WAIT).until(() -> hangs.get() == 1);
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                others.add(spool.enqueue(Map.of(), bytes("m" + i)));
            }

            await("delivered by the worker that replaced the hung one").atMost(WAIT)
                    .until(() -> deliveries.keySet().containsAll(others) && deliveries.containsKey(hung));

            assertThat(hungReturned).as("the hung handler has not returned").isFalse();
            assertThat(hangs).as("the second attempt did not hang").hasValue(2);
            assertThat(deliveries).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
            awaitGone(spool, hung);
        } finally {
            release.countDown();
        }
        assertThat(spool.isRunning()).isTrue();
    }

    @Test
    void theTimedOutAttemptIsStoredWithItsReasonAndTheHandlersLateOutcomeIsDiscarded() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        RetrySpool spool = started(b -> b.clock(Clock.systemUTC()).attemptTimeout(Duration.ofMillis(200))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofHours(1)))
                .handler((context, message, body) -> {
                    try {
                        awaitIgnoringInterrupts(release);
                    } finally {
                        returned.countDown();
                    }
                }));
        String id = spool.enqueue(Map.of(), bytes("slow"));

        awaitState(spool, id, QueueState.DEFERRED);
        MessageMetadata timedOut = spool.getMessage(id).metadata();
        release.countDown();
        assertThat(returned.await(20, TimeUnit.SECONDS)).isTrue();
        letWorkersPoll();

        assertThat(timedOut.lastError()).isEqualTo("attempt timed out after 200ms");
        assertThat(timedOut.attempts()).isEqualTo(1);
        assertThat(spool.getMessage(id).metadata()).as("the late success is discarded").isEqualTo(timedOut);
    }

    @Test
    void archivedMessagesOlderThanTheRetentionAreDeletedWithTheirBodies() throws IOException {
        RetrySpool spool = started(b -> b.archiveSuccess(true).archiveRetention(Duration.ofHours(1))
                .handler(new RecordingHandler()));
        String old = spool.enqueue(Map.of(), bytes("old"));
        awaitState(spool, old, QueueState.ARCHIVED);
        clock.advance(Duration.ofMinutes(50));
        String recent = spool.enqueue(Map.of(), bytes("recent"));
        awaitState(spool, recent, QueueState.ARCHIVED);

        clock.advance(Duration.ofMinutes(20));

        awaitGone(spool, old);
        assertThatThrownBy(() -> dataStore.openReader(old)).isInstanceOf(MissingBodyException.class);
        assertThat(spool.getMessage(recent).metadata().state()).isEqualTo(QueueState.ARCHIVED);
        try (MessageBody body = spool.openBody(recent)) {
            assertThat(body.readAllBytes()).isEqualTo(bytes("recent"));
        }
    }

    /** Waits for the latch and ignores interrupts, as a badly written handler would. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                if (latch.await(20, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- leases, crashes, concurrency ----

    @Test
    void expiredLeaseOfADeadWorkerCountsAsAFailedAttemptAndTheMessageIsDeliveredOnce() throws InterruptedException {
        RecordingHandler handler = new RecordingHandler();
        RetrySpool spool = spool(b -> b.clock(Clock.systemUTC()).handler(handler)
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(100))));
        String id = spool.enqueue(Map.of(), bytes("orphan"));
        List<Claim> deadClaims = metaStore.claim(new ClaimRequest(Set.of(QueueState.INCOMING), Instant.now(), 10,
                "dead-instance", Duration.ofMillis(500)));
        assertThat(deadClaims).extracting(Claim::id).containsExactly(id);
        spool.start();

        spool.recover();
        assertThat(handler.calls()).as("the lease has not expired yet").isZero();
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.ACTIVE);

        awaitGone(spool, id);
        assertThat(handler.ids).containsExactly(id);
        assertThat(handler.attempts).as("the dead worker's attempt was counted").containsExactly(2);
        assertThat(metaStore.complete(List.of(io.retryspool.storage.ClaimOutcome.delete(deadClaims.get(0)))))
                .containsExactly(id);
    }

    @Test
    void recoverSettlesAnExpiredLeaseAsAFailedAttemptDeferredPerThePolicy() throws InterruptedException {
        RetrySpool spool = spool(b -> b.retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(10))));
        String id = spool.enqueue(Map.of(), bytes("x"));
        spool.process(id, new RecordingHandler().failing(1));
        clock.advance(Duration.ofDays(1));
        metaStore.claim(new ClaimRequest(Set.of(QueueState.DEFERRED), clock.instant(), 1, "dead",
                Duration.ofMillis(100)));
        Thread.sleep(300); // a lease on a database server's clock expires in real time
        clock.advance(Duration.ofSeconds(1)); // one on the spool's clock when the spool's clock moves

        spool.recover();

        MessageMetadata back = spool.getMessage(id).metadata();
        assertThat(back.state()).isEqualTo(QueueState.DEFERRED);
        assertThat(back.attempts()).isEqualTo(2);
        assertThat(back.lastError()).isEqualTo("lease expired: the worker stopped");
        assertThat(back.nextRetry()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void aMessageWhoseWorkerDiesOnEveryAttemptBouncesOnceItsAttemptsAreUsedUp() {
        RetrySpool spool = spool(b -> b.maxAttempts(3).retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(1))));
        String id = spool.enqueue(Map.of(), bytes("poison"));

        for (int crash = 1; crash <= 3; crash++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(metaStore.claim(new ClaimRequest(Set.of(QueueState.INCOMING, QueueState.DEFERRED),
                    clock.instant(), 1, "crashing-" + crash, Duration.ofMillis(50)))).hasSize(1);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                clock.advance(Duration.ofMillis(100)); // leases expire by the spool's clock, or a server's
                spool.recover();
                return spool.getMessage(id).metadata().state() != QueueState.ACTIVE;
            });
        }

        MessageMetadata bounced = spool.getMessage(id).metadata();
        assertThat(bounced.state()).isEqualTo(QueueState.BOUNCE);
        assertThat(bounced.attempts()).isEqualTo(3);
        assertThat(bounced.lastError()).isEqualTo("lease expired: the worker stopped (bounced after 3 attempts)");
    }

    @Test
    void liveLeaseIsRenewedSoAnotherInstanceNeverTakesTheMessage() throws InterruptedException {
        Clock realClock = Clock.systemUTC();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        MessageHandler slow = (context, message, body) -> {
            calls.incrementAndGet();
            running.countDown();
            Thread.sleep(1_500);
        };
        RetrySpool first = started(b -> b.clock(realClock).leaseTimeout(Duration.ofMillis(300)).handler(slow));
        String id = first.enqueue(Map.of(), bytes("long job"));
        assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
        RetrySpool second = started(b -> b.clock(realClock).leaseTimeout(Duration.ofMillis(300)).handler(slow));

        awaitGone(first, id);
        second.recover();
        letWorkersPoll();

        assertThat(calls).hasValue(1);
    }

    @Test
    void manyProducersAndWorkersProcessEveryMessageExactlyOnce() throws Exception {
        int producers = 4;
        int perProducer = 2_500;
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        MessageHandler counting = (context, message, body) ->
                deliveries.computeIfAbsent(message.id(), key -> new AtomicInteger()).incrementAndGet();
        RetrySpool a = started(b -> b.handler(counting).concurrency(8).batchSize(50));
        RetrySpool b2 = started(b -> b.handler(counting).concurrency(8).batchSize(50));

        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<List<String>>> produced = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            RetrySpool target = p % 2 == 0 ? a : b2;
            produced.add(pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perProducer; i++) {
                    ids.add(target.enqueue(Map.of(), bytes("m" + i)));
                }
                return ids;
            }));
        }
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (Future<List<String>> future : produced) {
            ids.addAll(future.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();

        await().atMost(Duration.ofMinutes(2)).until(() -> deliveries.size() == producers * perProducer
                && a.counts().values().stream().allMatch(count -> count == 0));
        assertThat(ids).hasSize(producers * perProducer);
        assertThat(deliveries.keySet()).isEqualTo(ids);
        assertThat(deliveries.values()).allMatch(count -> count.get() == 1);
    }

    @Test
    void listenerHearsEnqueuesOutcomesAndHandlerRuns() {
        List<String> events = new CopyOnWriteArrayList<>();
        SpoolListener listener = new SpoolListener() {
            @Override
            public void enqueued(int count) {
                events.add("enqueued " + count);
            }

            @Override
            public void processed(ProcessingOutcome outcome) {
                events.add("processed " + outcome.tag());
            }

            @Override
            public void handlerFinished(String handlerName, boolean success, Duration duration) {
                events.add("handler " + handlerName + " " + (success ? "success" : "failure"));
            }
        };
        RecordingHandler handler = new RecordingHandler().failing(1);
        RetrySpool spool = started(b -> b.handler(handler).listener(listener)
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMinutes(1))));

        String id = spool.enqueue(Map.of(), bytes("x"));
        await().atMost(WAIT).until(() -> events.contains("processed deferred"));
        clock.advance(Duration.ofMinutes(1));
        awaitGone(spool, id);
        await().atMost(WAIT).until(() -> events.contains("processed delivered"));

        assertThat(events).containsOnlyOnce("enqueued 1");
        assertThat(events.stream().filter(event -> !event.startsWith("enqueued")).toList()).containsExactly(
                "handler RecordingHandler failure", "processed deferred",
                "handler RecordingHandler success", "processed delivered");
    }

    @Test
    void listenerHearsDeliveredAndBouncedAlsoWhenTheMessagesAreArchived() {
        List<ProcessingOutcome> outcomes = new CopyOnWriteArrayList<>();
        SpoolListener listener = new SpoolListener() {
            @Override
            public void processed(ProcessingOutcome outcome) {
                outcomes.add(outcome);
            }
        };
        RetrySpool spool = started(b -> b.archiveSuccess(true).archiveBounce(true).listener(listener)
                .handler((context, message, body) -> {
                    if (message.metadata().headers().containsKey("reject")) {
                        throw new PermanentException("rejected");
                    }
                })
                .bounceHandler((context, message, body) -> { }));

        String delivered = spool.enqueue(Map.of(), bytes("x"));
        String bounced = spool.enqueue(headers("reject", "yes"), bytes("y"));
        awaitState(spool, delivered, QueueState.ARCHIVED);
        awaitState(spool, bounced, QueueState.ARCHIVED);

        await().atMost(WAIT).untilAsserted(() -> assertThat(outcomes)
                .containsExactlyInAnyOrder(ProcessingOutcome.DELIVERED, ProcessingOutcome.BOUNCED));
    }

    @Test
    void oldestDueTellsHowLongTheLongestWaitingMessageHasBeenDue() {
        RetrySpool spool = spool(b -> { });
        assertThat(spool.oldestDue()).isEmpty();
        spool.enqueue(Map.of(), bytes("first"));
        clock.advance(Duration.ofSeconds(30));
        spool.enqueue(Map.of(), bytes("second"));

        assertThat(spool.oldestDue()).contains(START);
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> RetrySpool.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxAttempts:");
        assertThatThrownBy(() -> RetrySpool.builder().concurrency(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("concurrency:");
        assertThatThrownBy(() -> RetrySpool.builder().pollInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pollInterval:");
        assertThatThrownBy(() -> RetrySpool.builder().leaseTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("leaseTimeout:");
        assertThatThrownBy(() -> RetrySpool.builder().maxLifetime(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxLifetime:");
        assertThatThrownBy(() -> RetrySpool.builder().defaultPriority(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("defaultPriority:");
        assertThatThrownBy(() -> RetrySpool.builder().namedRetryPolicy(" ", FixedRetryPolicy.of(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> RetrySpool.builder().dataStore(dataStore).build())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("metaStore:");
        assertThatThrownBy(() -> RetrySpool.builder().metaStore(metaStore).build())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("dataStore:");
    }

    @Test
    void backlogMeasuresAgesByTheSpoolsClockAndIsRefusedOnceClosed() {
        RetrySpool spool = spool(b -> { });
        String held = spool.enqueue(Map.of(), bytes("old"));
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);
        clock.advance(Duration.ofMinutes(7));
        spool.enqueue(Map.of(), bytes("new"));

        BacklogShape shape = spool.backlog();

        assertThat(shape.takenAt()).isEqualTo(clock.instant());
        assertThat(shape.counts(QueueState.INCOMING)).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(shape.counts(QueueState.HOLD)).containsExactly(0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        spool.close();
        assertThatThrownBy(spool::backlog).isInstanceOf(SpoolClosedException.class);
    }

    private static String readBody(RetrySpool spool, String id) {
        try (MessageBody body = spool.openBody(id)) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- delay warnings ----

    /** Records the delay warnings it hears, in order, with how long each message had waited. */
    protected static final class RecordingDelayWarnings implements DelayWarningHandler {
        final List<String> ids = new CopyOnWriteArrayList<>();
        final Map<String, Duration> waited = new ConcurrentHashMap<>();

        @Override
        public void delayed(Message message, Duration waitedFor) {
            ids.add(message.id());
            waited.put(message.id(), waitedFor);
        }
    }

    /** Enqueues a message that stays INCOMING, undelivered, until {@code dueAfter} from now. */
    private String enqueueDueAfter(RetrySpool spool, Duration dueAfter) {
        return spool.enqueue(EnqueueRequest.builder().body(bytes("later")).notBefore(clock.instant().plus(dueAfter)).build());
    }

    @Test
    void aMessageStillUndeliveredPastTheDelayWarningIsReportedOnce() {
        RecordingDelayWarnings warnings = new RecordingDelayWarnings();
        RetrySpool spool = started(b -> b.handler(new RecordingHandler())
                .delayWarning(Duration.ofHours(4)).delayWarningHandler(warnings));
        String waiting = enqueueDueAfter(spool, Duration.ofDays(1));

        clock.advance(Duration.ofHours(4));
        await().atMost(WAIT).until(() -> warnings.ids.contains(waiting));
        // a later message's warning, issued by a later look, shows that the first one was not repeated
        String later = enqueueDueAfter(spool, Duration.ofDays(1));
        clock.advance(Duration.ofHours(4));
        await().atMost(WAIT).until(() -> warnings.ids.contains(later));

        assertThat(warnings.ids).containsExactly(waiting, later);
        assertThat(warnings.waited.get(waiting)).isEqualTo(Duration.ofHours(4));
        assertThat(spool.getMessage(waiting).metadata().state()).as("a warning changes nothing")
                .isEqualTo(QueueState.INCOMING);
    }

    @Test
    void aDeliveredMessageIsNeverReported() {
        RecordingDelayWarnings warnings = new RecordingDelayWarnings();
        RetrySpool spool = started(b -> b.handler(new RecordingHandler())
                .delayWarning(Duration.ofHours(4)).delayWarningHandler(warnings));
        String delivered = spool.enqueue(headers(), bytes("now"));
        awaitGone(spool, delivered);
        String waiting = enqueueDueAfter(spool, Duration.ofDays(1));

        clock.advance(Duration.ofHours(5));
        await().atMost(WAIT).until(() -> reportedElseNextLook(warnings, waiting));

        assertThat(warnings.ids).as("both were overdue; only the undelivered one is reported").containsExactly(waiting);
    }

    /**
     * Whether the message was reported; if not yet, moves the spool's clock on to the warner's next look. A look passes
     * over a row that another transaction holds (on MariaDB a claim's scan holds the first row not yet due until it
     * commits), and the next look, one {@link DelayWarner#INTERVAL} later by the spool's clock, reports it.
     */
    private boolean reportedElseNextLook(RecordingDelayWarnings warnings, String id) {
        if (warnings.ids.contains(id)) {
            return true;
        }
        clock.advance(DelayWarner.INTERVAL);
        return false;
    }

    @Test
    void withoutADelayWarningNothingIsReportedNorMarked() throws InterruptedException {
        RecordingDelayWarnings warnings = new RecordingDelayWarnings();
        RetrySpool spool = started(b -> b.handler(new RecordingHandler()).delayWarningHandler(warnings));
        String waiting = enqueueDueAfter(spool, Duration.ofDays(30));

        clock.advance(Duration.ofDays(10));
        letWorkersPoll();

        assertThat(warnings.ids).isEmpty();
        assertThat(metaStore.claimDelayWarnings(clock.instant(), clock.instant(), 10))
                .as("the spool never recorded a warning").extracting(MessageMetadata::id).containsExactly(waiting);
    }

    @Test
    void builderRefusesANegativeDelayWarningAndANullHandlerNamingThem() {
        assertThatThrownBy(() -> RetrySpool.builder().delayWarning(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("delayWarning:");
        assertThatThrownBy(() -> RetrySpool.builder().delayWarning(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("delayWarning:");
        assertThatThrownBy(() -> RetrySpool.builder().delayWarningHandler(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("delayWarningHandler:");
    }
}
