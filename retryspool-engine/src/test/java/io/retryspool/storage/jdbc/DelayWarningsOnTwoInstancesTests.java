package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.MutableClock;
import io.retryspool.RetrySpool;
import io.retryspool.handler.DelayWarningHandler;
import io.retryspool.testing.SharedSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two spool instances on one PostgreSQL schema, each with a pool of its own as two processes would have, issue
 * delay warnings for many overdue messages at once: each message is warned about exactly once between them. Both
 * instances share one {@link MutableClock}, so the messages become overdue when the test says.
 */
class DelayWarningsOnTwoInstancesTests {

    private static final Duration DELAY = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES = 3_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T08:00:00Z"));
    private final Map<String, AtomicInteger> warnings = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private SharedSchema shared;

    @BeforeEach
    void createSchema() {
        shared = SharedSchema.create("two_warners");
    }

    @AfterEach
    void closeInstancesAndDropSchema() throws Exception {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void manyOverdueMessagesAreEachWarnedAboutExactlyOnceByTwoInstances() {
        RetrySpool first = instance("instance-a");
        RetrySpool second = instance("instance-b");
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (int batch = 0; batch < MESSAGES / 500; batch++) {
            ids.addAll((batch % 2 == 0 ? first : second).enqueueAll(notDueForADay(500)));
        }
        first.start();
        second.start();

        clock.advance(DELAY);
        await("every message warned about").atMost(WAIT).until(() -> warnings.keySet().containsAll(ids));
        // a message that becomes overdue later is warned about by a later look: the first ones were not repeated
        String later = first.enqueueAll(notDueForADay(1)).get(0);
        clock.advance(DELAY.plus(Duration.ofMinutes(2)));
        await("the later message warned about").atMost(WAIT).until(() -> warnings.containsKey(later));

        System.out.println("Delay warnings by instance: " + byInstance);
        assertThat(warnings.keySet()).as("warned ids").containsExactlyInAnyOrderElementsOf(concat(ids, later));
        assertThat(warnings.entrySet()).as("ids warned about more than once")
                .filteredOn(entry -> entry.getValue().get() != 1).isEmpty();
        assertThat(calls).hasValue(MESSAGES + 1);
    }

    /** Builds a stopped instance with a pool of its own, polling quickly, that records its delay warnings. */
    private RetrySpool instance(String instanceId) {
        HikariDataSource pool = shared.pool(8);
        DelayWarningHandler handler = (message, waited) -> {
            warnings.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
            byInstance.computeIfAbsent(instanceId, id -> new AtomicInteger()).incrementAndGet();
            calls.incrementAndGet();
        };
        RetrySpool spool = RetrySpool.builder()
                .jdbc(pool)
                .instanceId(instanceId)
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .shutdownGrace(Duration.ofSeconds(5))
                .handler((context, message, body) -> { })
                .delayWarning(DELAY)
                .delayWarningHandler(handler)
                .build();
        return shared.track(spool);
    }

    /** Requests for messages that stay INCOMING, undelivered, for a day of the test's clock. */
    private List<EnqueueRequest> notDueForADay(int count) {
        List<EnqueueRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().body("waiting".getBytes(StandardCharsets.UTF_8))
                    .notBefore(clock.instant().plus(Duration.ofDays(1))).build());
        }
        return requests;
    }

    private static List<String> concat(Set<String> ids, String one) {
        List<String> all = new ArrayList<>(ids);
        all.add(one);
        return all;
    }
}
