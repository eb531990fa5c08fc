package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How the engine schedules messages that have a destination (concurrency and rate limits, fair shares, suspension
 * after failures in a row), with real worker threads, run against each store. Time-dependent rules use a
 * {@link MutableClock}; workers poll every few milliseconds so that an advanced clock is noticed at once. On a sharded
 * store the messages of one destination share one shard however they are enqueued, so its limits hold there.
 */
public abstract class AbstractDestinationBehaviourTests {

    protected static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    protected static final Duration POLL = Duration.ofMillis(10);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(10);

    protected MutableClock clock;
    protected SpoolStore store;
    private final List<RetrySpool> spools = new ArrayList<>();
    private volatile Thread ticker;

    /**
     * Creates an empty store for one test, as an application would build it; {@code clock} is set by then.
     *
     * @return the store
     */
    protected abstract SpoolStore createStore();

    /** Releases what the stores hold once every spool of the test is closed; nothing by default. */
    protected void closeStores() {
    }

    @BeforeEach
    void createStores() {
        clock = new MutableClock(START);
        store = createStore();
    }

    @AfterEach
    void closeSpoolsThenStores() throws InterruptedException {
        try {
            Thread running = ticker;
            if (running != null) {
                running.interrupt();
                running.join();
            }
            spools.forEach(RetrySpool::close);
        } finally {
            closeStores();
        }
    }

    /** Builds a stopped spool on the test's store with quick polling and a fixed retry interval. */
    protected RetrySpool spool(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpoolBuilder builder = RetrySpool.builder()
                .store(store).clock(clock).retryPolicy(FixedRetryPolicy.of(RETRY)).maxAttempts(100)
                .pollInterval(POLL).shutdownGrace(Duration.ofSeconds(5)).instanceId("test-" + spools.size());
        customizer.accept(builder);
        RetrySpool spool = builder.build();
        spools.add(spool);
        return spool;
    }

    protected static EnqueueRequest to(String destination, String body) {
        return EnqueueRequest.builder().destination(destination).body(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    protected static List<EnqueueRequest> to(String destination, int count) {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(to(destination, destination + "-" + i));
        }
        return requests;
    }

    private void awaitAllGone(RetrySpool spool) {
        await().atMost(WAIT).until(() -> spool.counts().values().stream().allMatch(count -> count == 0));
    }

    private static boolean exists(RetrySpool spool, String id) {
        try {
            spool.getMessage(id);
            return true;
        } catch (MessageNotFoundException e) {
            return false;
        }
    }

    private static int attempts(RetrySpool spool, String id) {
        return spool.getMessage(id).metadata().attempts();
    }

    private static List<Integer> attempts(RetrySpool spool, List<String> ids) {
        return ids.stream().filter(id -> exists(spool, id)).map(id -> attempts(spool, id)).toList();
    }

    /** Lets the workers poll a few times, to show that something does NOT happen. */
    private static void letWorkersPoll() throws InterruptedException {
        Thread.sleep(POLL.toMillis() * 20);
    }

    private static DestinationStatus suspended(RetrySpool spool, String destination) {
        return spool.suspendedDestinations().stream().filter(status -> status.name().equals(destination))
                .findFirst().orElse(null);
    }

    /** Makes the test's clock follow real time from now on, for limits measured over time. */
    private void letTheClockTick() {
        long startNanos = System.nanoTime();
        Instant from = clock.instant();
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Instant target = from.plusNanos(System.nanoTime() - startNanos);
                Duration behind = Duration.between(clock.instant(), target);
                if (!behind.isNegative()) {
                    clock.advance(behind);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-clock");
        thread.setDaemon(true);
        ticker = thread;
        thread.start();
    }

    /** What the destination handler does with one attempt. */
    private enum Mode { SUCCEED, FAIL, BLOCK_THEN_FAIL }

    /**
     * A handler that counts the attempts running on each destination at once (and the most seen), sleeping a little
     * in each so that attempts overlap, and does what its mode says.
     */
    private static final class DestinationHandler implements MessageHandler {
        final Map<String, AtomicInteger> runningNow = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Long> startNanos = new CopyOnWriteArrayList<>();
        final AtomicReference<Mode> mode = new AtomicReference<>(Mode.SUCCEED);
        volatile CountDownLatch blocked = new CountDownLatch(1);
        final long sleepMillis;

        DestinationHandler(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        @Override
        public void handle(MessageContext context, Message message, MessageBody body) throws Exception {
            String destination = String.valueOf(message.metadata().destination());
            startNanos.add(System.nanoTime());
            calls.add(message.id());
            int now = runningNow.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
            mostAtOnce.computeIfAbsent(destination, d -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
                switch (mode.get()) {
                    case FAIL -> throw new RetryableException("destination " + destination + " is down");
                    case BLOCK_THEN_FAIL -> {
                        blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        throw new RetryableException("destination " + destination + " is still down");
                    }
                    default -> delivered.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
                }
            } finally {
                runningNow.get(destination).decrementAndGet();
            }
        }

        int mostAtOnce(String destination) {
            AtomicInteger most = mostAtOnce.get(destination);
            return most == null ? 0 : most.get();
        }

        int delivered(String destination) {
            AtomicInteger count = delivered.get(destination);
            return count == null ? 0 : count.get();
        }
    }

    // ---- limits and fairness ----

    @Test
    void noDestinationEverHasMoreAttemptsRunningThanItsConcurrencyLimit() {
        DestinationHandler handler = new DestinationHandler(15);
        RetrySpool spool = spool(b -> b.concurrency(24).batchSize(20).handler(handler)
                .destinationConcurrency(3).destinationConcurrency("two", 2).destinationConcurrency("five", 5)
                .destinationConcurrency("unlimited", 0));
        List<EnqueueRequest> requests = new ArrayList<>();
        for (String destination : List.of("two", "five", "three", "unlimited")) {
            requests.addAll(to(destination, 40));
        }
        requests.addAll(List.of(EnqueueRequest.builder().body(new byte[]{1}).build()));
        spool.enqueueAll(requests);

        spool.start();

        awaitAllGone(spool);
        assertThat(handler.delivered("two") + handler.delivered("five") + handler.delivered("three")
                + handler.delivered("unlimited")).isEqualTo(160);
        assertThat(handler.mostAtOnce("two")).isEqualTo(2);
        assertThat(handler.mostAtOnce("five")).isEqualTo(5);
        assertThat(handler.mostAtOnce("three")).as("the default limit").isEqualTo(3);
        assertThat(handler.mostAtOnce("unlimited")).as("no limit").isGreaterThan(5);
    }

    @Test
    void aLimitHoldsForMessagesEnqueuedOneAtATimeAsForThoseOfOneEnqueue() {
        DestinationHandler handler = new DestinationHandler(15);
        RetrySpool spool = spool(b -> b.concurrency(24).batchSize(20).handler(handler).destinationConcurrency("two", 2));
        for (EnqueueRequest request : to("two", 40)) {
            spool.enqueue(request);
        }
        for (int i = 0; i < 40; i++) {
            spool.enqueue(EnqueueRequest.builder().body(new byte[]{1}).build());
        }

        spool.start();

        awaitAllGone(spool);
        assertThat(handler.delivered("two")).isEqualTo(40);
        assertThat(handler.mostAtOnce("two")).isEqualTo(2);
    }

    @Test
    void aDestinationWithFewMessagesIsServedWhileOneWithManyStillWaits() {
        List<String> order = new CopyOnWriteArrayList<>();
        RetrySpool spool = spool(b -> b.concurrency(4).batchSize(20).destinationConcurrency("big", 50)
                .handler((context, message, body) -> {
                    if ("big".equals(message.metadata().destination())) {
                        Thread.sleep(10);
                    }
                    order.add(message.metadata().destination());
                }));
        spool.enqueueAll(to("big", 300));
        clock.advance(Duration.ofSeconds(1));
        spool.enqueueAll(to("small", 10));

        spool.start();

        await().atMost(WAIT).until(() -> order.stream().filter("small"::equals).count() == 10);
        long bigDone = order.stream().filter("big"::equals).count();
        assertThat(bigDone).as("big messages delivered by the time the 10 small ones are").isLessThan(100);
    }

    @Test
    void aDestinationWithARateStartsThatManyAttemptsPerSecond() {
        DestinationHandler handler = new DestinationHandler(0);
        RetrySpool spool = spool(b -> b.concurrency(10).batchSize(50).destinationRate("rated", 20)
                .handler(handler));
        spool.enqueueAll(to("rated", 300));
        letTheClockTick();
        long begin = System.nanoTime();

        spool.start();

        long windowStart = begin + TimeUnit.SECONDS.toNanos(1);
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(3);
        await().atMost(WAIT).until(() -> System.nanoTime() > windowEnd + TimeUnit.MILLISECONDS.toNanos(100));
        long inWindow = handler.startNanos.stream().filter(start -> start >= windowStart && start < windowEnd).count();
        assertThat(inWindow).as("attempts started in 3 seconds at 20 per second").isBetween(54L, 66L);
        assertThat(handler.calls.size()).as("the whole run, burst included").isLessThan(300);
    }

    // ---- suspension ----

    @Test
    void aDestinationFailingThresholdTimesInARowIsPausedThenProbedOneAtATimeUntilASuccessResumesIt()
            throws InterruptedException {
        DestinationHandler handler = new DestinationHandler(0);
        handler.mode.set(Mode.FAIL);
        RetrySpool spool = spool(b -> b.handler(handler).destinationFailureThreshold(3)
                .destinationSuspend(Duration.ofMinutes(1)));
        List<EnqueueRequest> requests = new ArrayList<>(to("down", 3));
        for (int i = 0; i < 3; i++) {
            requests.add(EnqueueRequest.builder().destination("down").body(new byte[]{(byte) i})
                    .notBefore(START.plusSeconds(30)).build());
        }
        List<String> ids = spool.enqueueAll(requests);

        spool.start();

        await().atMost(WAIT).until(() -> suspended(spool, "down") != null);
        assertThat(suspended(spool, "down")).isEqualTo(new DestinationStatus("down", 3, 1, START.plusSeconds(60)));
        await().atMost(WAIT).until(() -> spool.count(QueueState.ACTIVE) == 0);
        assertThat(handler.calls).hasSize(3);

        clock.advance(Duration.ofSeconds(40));
        letWorkersPoll();
        assertThat(handler.calls).as("paused: every message is due, none is attempted").hasSize(3);
        assertThat(attempts(spool, ids)).containsExactly(1, 1, 1, 0, 0, 0);

        handler.mode.set(Mode.BLOCK_THEN_FAIL);
        clock.advance(Duration.ofSeconds(21));
        Instant probeFailed = clock.instant();
        await().atMost(WAIT).until(() -> handler.calls.size() == 4);
        letWorkersPoll();
        assertThat(handler.calls).as("on probation: one probe at a time").hasSize(4);
        assertThat(spool.count(QueueState.ACTIVE)).isEqualTo(1);
        handler.blocked.countDown();

        await().atMost(WAIT).until(() -> suspended(spool, "down").suspensions() == 2);
        assertThat(suspended(spool, "down").suspendedUntil()).as("the failed probe doubles the pause")
                .isEqualTo(probeFailed.plus(Duration.ofMinutes(2)));
        await().atMost(WAIT).until(() -> spool.count(QueueState.ACTIVE) == 0);
        List<Integer> afterProbe = attempts(spool, ids);
        clock.advance(Duration.ofMinutes(1));
        letWorkersPoll();
        assertThat(attempts(spool, ids)).as("paused again").isEqualTo(afterProbe);

        handler.mode.set(Mode.SUCCEED);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));

        awaitAllGone(spool);
        assertThat(spool.suspendedDestinations()).isEmpty();
        assertThat(handler.delivered("down")).isEqualTo(6);
    }

    @Test
    void permanentFailuresAndMessagesNoHandlerAcceptsDoNotCountAgainstTheDestination() {
        RetrySpool spool = spool(b -> b.destinationFailureThreshold(2).handler(new MessageHandler() {
            @Override
            public boolean canHandle(Map<String, String> headers) {
                return !headers.containsKey("unhandled");
            }

            @Override
            public void handle(MessageContext context, Message message, MessageBody body) {
                if (message.metadata().headers().containsKey("permanent")) {
                    throw new PermanentException("rejected for good");
                }
            }
        }));
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(EnqueueRequest.builder().destination("d").header("permanent", "yes").body(new byte[]{1}).build());
            requests.add(EnqueueRequest.builder().destination("d").header("unhandled", "yes").body(new byte[]{1}).build());
        }
        spool.enqueueAll(requests);

        spool.start();

        await().atMost(WAIT).until(() -> spool.count(QueueState.BOUNCE) == 6);
        assertThat(spool.suspendedDestinations()).isEmpty();
        String next = spool.enqueue(to("d", "fine"));
        await().atMost(WAIT).until(() -> !exists(spool, next));
    }

    @Test
    void anAttemptThatTimesOutCountsAsAFailureOfItsDestination() {
        RetrySpool spool = spool(b -> b.destinationFailureThreshold(1).attemptTimeout(Duration.ofMillis(200))
                .handler((context, message, body) -> Thread.sleep(10_000)));
        String id = spool.enqueue(to("slow", "x"));

        spool.start();

        await().atMost(WAIT).until(() -> suspended(spool, "slow") != null);
        assertThat(suspended(spool, "slow")).isEqualTo(new DestinationStatus("slow", 1, 1, START.plusSeconds(300)));
        assertThat(spool.getMessage(id).metadata().lastError()).contains("timed out");
    }

    @Test
    void resumingASuspendedDestinationDeliversItsMessagesAtOnce() throws InterruptedException {
        DestinationHandler handler = new DestinationHandler(0);
        handler.mode.set(Mode.FAIL);
        RetrySpool spool = spool(b -> b.handler(handler).destinationFailureThreshold(1)
                .destinationSuspend(Duration.ofHours(1)).pollInterval(Duration.ofHours(1)));
        spool.enqueueAll(to("d", 3));
        spool.start();
        await().atMost(WAIT).until(() -> suspended(spool, "d") != null);
        await().atMost(WAIT).until(() -> spool.count(QueueState.DEFERRED) == 3);
        handler.mode.set(Mode.SUCCEED);
        Thread.sleep(300); // the claim thread's look-agains after its last claim are over: only a wake-up claims now
        clock.advance(RETRY.multipliedBy(2));

        assertThat(spool.resumeDestination("d")).isTrue();

        awaitAllGone(spool);
        assertThat(spool.suspendedDestinations()).isEmpty();
        assertThat(spool.resumeDestination("d")).as("nothing left to resume").isFalse();
        assertThatThrownBy(() -> spool.resumeDestination(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("destination:");
        assertThatThrownBy(() -> spool.resumeDestination(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("destination:");
    }

    @Test
    void aSuspendedDestinationHoldsBackOnlyItsOwnMessages() throws InterruptedException {
        DestinationHandler handler = new DestinationHandler(0);
        RetrySpool spool = spool(b -> b.handler(handler).destinationFailureThreshold(1)
                .destinationSuspend(Duration.ofHours(1)));
        handler.mode.set(Mode.FAIL);
        String down = spool.enqueue(to("down", "x"));
        spool.start();
        await().atMost(WAIT).until(() -> suspended(spool, "down") != null);
        await().atMost(WAIT).until(() -> spool.count(QueueState.ACTIVE) == 0);
        handler.mode.set(Mode.SUCCEED);
        clock.advance(RETRY.multipliedBy(2));

        String plain = spool.enqueue(Map.of(), new byte[]{1});
        String other = spool.enqueue(to("other", "y"));

        await().atMost(WAIT).until(() -> !exists(spool, plain) && !exists(spool, other));
        letWorkersPoll();
        assertThat(attempts(spool, down)).as("still paused").isEqualTo(1);
    }

    @Test
    void destinationsAreListedWithTheirSuspensionAndBadNamesAreRefused() {
        RetrySpool spool = spool(b -> { });

        assertThat(spool.suspendedDestinations()).isEmpty();
        assertThat(spool.resumeDestination("never-seen")).isFalse();
        assertThatThrownBy(() -> spool.resumeDestination("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("destination:");
        spool.close();
        assertThatThrownBy(spool::suspendedDestinations).isInstanceOf(SpoolClosedException.class);
    }
}
