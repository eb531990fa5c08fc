package io.retryspool.boot.autoconfigure.endpoint;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.retryspool.EnqueueRequest;
import io.retryspool.MutableClock;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.BulkActionDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.ErrorDescriptor;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.slf4j.LoggerFactory;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's bulk action, {@code POST /actuator/retryspool}, on an in-memory spool. */
class RetrySpoolEndpointBulkTests {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RetrySpool spool = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore(clock))
            .clock(clock)
            .build();
    private final RetrySpoolEndpoint endpoint = new RetrySpoolEndpoint(spool, Show.ALWAYS, Set.of());

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void aDryRunCountsTheMatchingMessagesAndChangesNothing() {
        List<String> held = hold(enqueue("acme", 3));
        enqueue("other", 2);

        BulkActionDescriptor result = bulk("release", criteria("state", "hold"), true);

        assertThat(result).isEqualTo(new BulkActionDescriptor(3, false, 0));
        assertThat(held).allMatch(id -> state(id) == QueueState.HOLD);
    }

    @Test
    void releaseMovesEveryHeldMessageMatchingTheFilterToIncoming() {
        List<String> acme = hold(enqueue("acme", 2));
        List<String> other = hold(enqueue("other", 1));

        BulkActionDescriptor result = bulk("release", criteria("header", "tenant:acme"), false);

        assertThat(result).isEqualTo(new BulkActionDescriptor(2, false, 2));
        assertThat(acme).allMatch(id -> state(id) == QueueState.INCOMING);
        assertThat(other).allMatch(id -> state(id) == QueueState.HOLD);
    }

    @Test
    void anActionActsOnlyOnTheStatesTheSingleMessageActionAllows() {
        List<String> incoming = enqueue("acme", 2);
        List<String> held = hold(enqueue("acme", 1));

        BulkActionDescriptor requeued = bulk("requeue", null, false);
        BulkActionDescriptor bounced = bulk("bounce", null, false);

        assertThat(requeued).as("requeue starts from HOLD, DEFERRED, BOUNCE, ARCHIVED")
                .isEqualTo(new BulkActionDescriptor(1, false, 1));
        assertThat(state(held.get(0))).isEqualTo(QueueState.BOUNCE);
        assertThat(bounced).isEqualTo(new BulkActionDescriptor(3, false, 3));
        assertThat(incoming).allMatch(id -> state(id) == QueueState.BOUNCE);
    }

    @Test
    void olderThanTakesBothDurationStylesAndDeleteRemovesTheMatchingMessages() {
        List<String> old = enqueue("acme", 2);
        clock.advance(Duration.ofHours(2));
        List<String> young = enqueue("acme", 1);

        BulkActionDescriptor iso = bulk("delete", criteria("olderThan", "PT1H"), true);
        BulkActionDescriptor deleted = bulk("delete", criteria("olderThan", "90m"), false);

        assertThat(iso).isEqualTo(new BulkActionDescriptor(2, false, 0));
        assertThat(deleted).isEqualTo(new BulkActionDescriptor(2, false, 2));
        assertThat(spool.counts()).containsEntry(QueueState.INCOMING, 1L);
        assertThat(state(young.get(0))).isEqualTo(QueueState.INCOMING);
    }

    @Test
    void errorTextAndStateCombine() {
        List<String> held = hold(enqueue("acme", 1));

        assertThat(bulk("delete", criteria("state", "HOLD", "errorContains", "refused"), true))
                .as("no last error").isEqualTo(new BulkActionDescriptor(0, false, 0));
        assertThat(bulk("delete", criteria("state", "HOLD"), true)).isEqualTo(new BulkActionDescriptor(1, false, 0));
        assertThat(state(held.get(0))).isEqualTo(QueueState.HOLD);
    }

    @Test
    void destinationAndStateCombine() {
        List<String> held = hold(enqueueTo("hooks.example.com", 2));
        List<String> heldElsewhere = hold(enqueueTo("other.example.com", 1));
        List<String> incoming = enqueueTo("hooks.example.com", 1);

        BulkActionDescriptor released = bulk("release", criteria("state", "HOLD", "destination", "hooks.example.com"),
                false);

        assertThat(released).isEqualTo(new BulkActionDescriptor(2, false, 2));
        assertThat(held).allMatch(id -> state(id) == QueueState.INCOMING);
        assertThat(heldElsewhere).allMatch(id -> state(id) == QueueState.HOLD);
        assertThat(bulk("hold", criteria("destination", "hooks.example.com"), true)).as("INCOMING only, now 3")
                .isEqualTo(new BulkActionDescriptor(3, false, 0));
        assertThat(incoming).allMatch(id -> state(id) == QueueState.INCOMING);
    }

    @Test
    void badRequestsAnswer400NamingWhatIsWrong() {
        assertThat(error("purge", null).message()).contains("purge").contains("hold, release, requeue, bounce, delete");
        assertThat(error("release", criteria("state", "DEFERRED")).message())
                .startsWith("state:").contains("HOLD").contains("DEFERRED");
        assertThat(error("hold", criteria("state", "active")).message()).startsWith("state:");
        assertThat(error("delete", criteria("state", "ACTIVE")).message()).startsWith("state:");
        assertThat(error("hold", criteria("state", "nope")).message()).startsWith("state:").contains("nope");
        assertThat(error("hold", criteria("olderThan", "soon")).message()).startsWith("olderThan:");
        assertThat(error("hold", criteria("olderThan", "-1h")).message()).startsWith("age:");
        assertThat(error("hold", criteria("header", "tenant=acme")).message()).startsWith("header:");
        assertThat(error("hold", criteria("header", " :x")).message()).startsWith("name:");
        assertThat(error("hold", criteria("destination", "d".repeat(256))).message()).startsWith("destination:");
    }

    @Test
    void everyBulkActionIsLoggedAtInfoWithTheCallerTheFilterAndTheCounts() {
        Logger logger = (Logger) LoggerFactory.getLogger(RetrySpoolEndpoint.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        hold(enqueue("acme", 2));
        SecurityContext ops = new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> "ops-alice";
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }
        };

        try {
            call(ops, "release", criteria("state", "hold"), true);
            call(SecurityContext.NONE, "release", criteria("state", "hold"), false);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).allMatch(event -> event.getLevel() == Level.INFO)
                .extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                        "Bulk release (dry run) by ops-alice on messages matching MessageFilter[state=HOLD]:"
                                + " 2 matched, 0 changed",
                        "Bulk release by anonymous on messages matching MessageFilter[state=HOLD]: 2 matched, 2 changed");
    }

    private BulkActionDescriptor bulk(String action, Map<String, String> criteria, boolean dryRun) {
        WebEndpointResponse<OperationResponseBody> response = call(SecurityContext.NONE, action, criteria, dryRun);
        assertThat(response.getStatus()).as("status of %s", response.getBody()).isEqualTo(200);
        return (BulkActionDescriptor) response.getBody();
    }

    private ErrorDescriptor error(String action, Map<String, String> criteria) {
        WebEndpointResponse<OperationResponseBody> response = call(SecurityContext.NONE, action, criteria, null);
        assertThat(response.getStatus()).isEqualTo(400);
        return (ErrorDescriptor) response.getBody();
    }

    /** Calls the operation with the criteria as the top-level fields of a request body would give them. */
    private WebEndpointResponse<OperationResponseBody> call(SecurityContext caller, String action,
                                                            Map<String, String> criteria, Boolean dryRun) {
        Map<String, String> given = criteria == null ? Map.of() : criteria;
        return endpoint.bulk(caller, action, given.get("state"), given.get("header"), given.get("olderThan"),
                given.get("errorContains"), given.get("destination"), dryRun);
    }

    /** The criteria by name: state, header, olderThan, errorContains, destination. */
    private static Map<String, String> criteria(String... namesAndValues) {
        Map<String, String> criteria = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            criteria.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return criteria;
    }

    private List<String> enqueue(String tenant, int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> spool.enqueue(Map.of("tenant", tenant), new byte[]{1})).toList();
    }

    private List<String> enqueueTo(String destination, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> spool.enqueue(EnqueueRequest.builder()
                .destination(destination).body(new byte[]{1}).build())).toList();
    }

    private List<String> hold(List<String> ids) {
        ids.forEach(id -> spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD));
        return ids;
    }

    private QueueState state(String id) {
        return spool.getMessage(id).metadata().state();
    }
}
