package io.retryspool.boot.autoconfigure;

import io.retryspool.DestinationStatus;
import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetryableException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code retryspool.destinations.*} properties reach the auto-configured spool, on the in-memory store. */
class DestinationsAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
            .withPropertyValues("retryspool.store=memory", "retryspool.worker.poll-interval=20ms");

    @Test
    void failureThresholdAndSuspendDecideWhenAndForHowLongADestinationIsSuspended() {
        runner.withPropertyValues("retryspool.destinations.failure-threshold=2", "retryspool.destinations.suspend=90s")
                .withBean("down", MessageHandler.class, () -> (context, message, body) -> {
                    throw new RetryableException("endpoint is down");
                })
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    Instant before = Instant.now();
                    for (int i = 0; i < 2; i++) {
                        spool.enqueue(EnqueueRequest.builder().destination("down.example").body(new byte[0]).build());
                    }

                    // the default threshold (5) would not suspend it after two failures
                    DestinationStatus status = await().atMost(WAIT).until(() -> spool.suspendedDestinations().stream()
                            .filter(each -> each.name().equals("down.example")).findFirst().orElse(null),
                            each -> each != null);
                    assertThat(status.failures()).isEqualTo(2);
                    assertThat(status.suspensions()).isEqualTo(1);
                    assertThat(status.suspendedUntil()).isBetween(before.plusSeconds(90),
                            Instant.now().plusSeconds(90));
                });
    }

    @Test
    void concurrencyLimitsHoldPerDestinationTheirOwnBeforeTheDefaultAndZeroForNone() {
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
        CountDownLatch open = new CountDownLatch(1);
        runner.withPropertyValues("retryspool.worker.concurrency=9", "retryspool.destinations.concurrency=2",
                        "retryspool.destinations.limits[one.example].concurrency=1",
                        "retryspool.destinations.limits[any.example].concurrency=0")
                .withBean("blocking", MessageHandler.class, () -> (context, message, body) -> {
                    String destination = message.metadata().destination();
                    int now = running.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
                    most.computeIfAbsent(destination, d -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                    try {
                        open.await(30, TimeUnit.SECONDS);
                    } finally {
                        running.get(destination).decrementAndGet();
                    }
                })
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    List<String> ids = new ArrayList<>();
                    for (String destination : List.of("one.example", "two.example", "any.example")) {
                        for (int i = 0; i < 3; i++) {
                            ids.add(spool.enqueue(EnqueueRequest.builder().destination(destination)
                                    .body(new byte[0]).build()));
                        }
                    }

                    await().atMost(WAIT).until(() -> count(running, "one.example") == 1
                            && count(running, "two.example") == 2 && count(running, "any.example") == 3);
                    open.countDown();
                    await().atMost(WAIT).until(() -> ids.stream().noneMatch(id -> undelivered(spool, id)));
                    assertThat(count(most, "one.example")).as("its own limit").isEqualTo(1);
                    assertThat(count(most, "two.example")).as("retryspool.destinations.concurrency").isEqualTo(2);
                    assertThat(count(most, "any.example")).as("no limit").isEqualTo(3);
                });
    }

    @Test
    void aRateSpacesADestinationsAttempts() {
        List<Instant> started = Collections.synchronizedList(new ArrayList<>());
        runner.withPropertyValues("retryspool.worker.concurrency=4",
                        "retryspool.destinations.limits[slow.example].rate=2")
                .withBean("timed", MessageHandler.class, () -> (context, message, body) -> started.add(Instant.now()))
                .run(context -> {
                    RetrySpool spool = context.getBean(RetrySpool.class);
                    for (int i = 0; i < 4; i++) {
                        spool.enqueue(EnqueueRequest.builder().destination("slow.example").body(new byte[0]).build());
                    }

                    await().atMost(WAIT).until(() -> started.size() == 4);
                    // a burst of two (one second's worth), then one every half second
                    assertThat(Duration.between(started.get(0), started.get(3)))
                            .isGreaterThanOrEqualTo(Duration.ofMillis(800));
                });
    }

    private static int count(Map<String, AtomicInteger> counts, String destination) {
        AtomicInteger count = counts.get(destination);
        return count == null ? 0 : count.get();
    }

    private static boolean undelivered(RetrySpool spool, String id) {
        try {
            return spool.getMessage(id).metadata().state() != QueueState.ARCHIVED;
        } catch (io.retryspool.MessageNotFoundException ex) {
            return false;
        }
    }
}
