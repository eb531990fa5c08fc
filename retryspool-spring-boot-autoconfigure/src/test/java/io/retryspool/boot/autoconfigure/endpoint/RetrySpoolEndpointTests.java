package io.retryspool.boot.autoconfigure.endpoint;

import io.retryspool.ArchiveReason;
import io.retryspool.EnqueueRequest;
import io.retryspool.MessageNotFoundException;
import io.retryspool.MutableClock;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.BacklogDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.ErrorDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.MessageDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.MessagePageDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.SpoolDescriptor;
import io.retryspool.boot.autoconfigure.testing.SpoolProxies;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class RetrySpoolEndpointTests {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RetrySpool spool = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore())
            .clock(clock)
            .build();
    /** A caller that is not logged in. */
    private static final SecurityContext ANYONE = SecurityContext.NONE;

    private final RetrySpoolEndpoint endpoint = new RetrySpoolEndpoint(spool, Show.ALWAYS, Set.of());

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void overviewCountsEveryStateAndTellsWhetherTheWorkersRunAndWhatIsOldestDue() {
        String held = enqueue();
        clock.advance(Duration.ofSeconds(1));
        enqueue();
        enqueue();
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);

        SpoolDescriptor overview = endpoint.overview();

        assertThat(overview.counts()).containsExactly(Map.entry("INCOMING", 2L), Map.entry("ACTIVE", 0L),
                Map.entry("DEFERRED", 0L), Map.entry("HOLD", 1L), Map.entry("BOUNCE", 0L),
                Map.entry("ARCHIVED", 0L));
        assertThat(overview.running()).isFalse();
        assertThat(overview.oldestDue()).isEqualTo(START.plusSeconds(1));
        assertThat(overview.suspendedDestinations()).isEmpty();
    }

    @Test
    void overviewOfAnEmptySpoolHasZeroCountsAndNoOldestDue() {
        SpoolDescriptor overview = endpoint.overview();

        assertThat(overview.counts()).hasSize(6).allSatisfy((state, count) -> assertThat(count).isZero());
        assertThat(overview.oldestDue()).isNull();
    }

    @Test
    void messagesPageThroughAStateWithTheAfterCursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(enqueue());
            clock.advance(Duration.ofSeconds(1));
        }

        MessagePageDescriptor first = page(unfiltered(endpoint, ANYONE, "INCOMING", 2, null));
        MessagePageDescriptor second = page(unfiltered(endpoint, ANYONE, "INCOMING", 2, first.nextCursor()));
        MessagePageDescriptor last = page(unfiltered(endpoint, ANYONE, "INCOMING", 2, second.nextCursor()));

        assertThat(first.items()).extracting(MessageDescriptor::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.hasMore()).isTrue();
        assertThat(first.nextCursor()).isNotBlank();
        assertThat(second.items()).extracting(MessageDescriptor::id).containsExactly(ids.get(2), ids.get(3));
        assertThat(second.hasMore()).isTrue();
        assertThat(last.items()).extracting(MessageDescriptor::id).containsExactly(ids.get(4));
        assertThat(last.hasMore()).isFalse();
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void messagesWithCriteriaListOnlyTheMatchingOnesAndCountThemUnlessAHeaderOrErrorIsAskedFor() {
        String acme = spool.enqueue(Map.of("tenant", "acme"), new byte[0]);
        clock.advance(Duration.ofSeconds(1));
        String other = spool.enqueue(Map.of("tenant", "other"), new byte[0]);
        clock.advance(Duration.ofHours(2));
        String young = spool.enqueue(Map.of("tenant", "acme"), new byte[0]);

        MessagePageDescriptor byHeader = page(endpoint.messages(ANYONE, "incoming", null, null, "tenant:acme", null,
                null, null));
        MessagePageDescriptor byAge = page(endpoint.messages(ANYONE, "INCOMING", null, null, null, "1h", null, null));
        MessagePageDescriptor both = page(endpoint.messages(ANYONE, "INCOMING", 1, null, "tenant:acme", "PT1H", "",
                null));
        MessagePageDescriptor noError = page(endpoint.messages(ANYONE, "INCOMING", null, null, " ", null, "refused",
                null));

        assertThat(byHeader.items()).extracting(MessageDescriptor::id).containsExactly(acme, young);
        assertThat(byHeader.total()).as("not counted").isEqualTo(-1);
        assertThat(byAge.items()).extracting(MessageDescriptor::id).containsExactly(acme, other);
        assertThat(byAge.total()).isEqualTo(2);
        assertThat(both.items()).extracting(MessageDescriptor::id).containsExactly(acme);
        assertThat(both.hasMore()).isFalse();
        assertThat(noError.items()).isEmpty();
    }

    @Test
    void messagesWithADestinationListOnlyThatDestinationsMessagesWithoutCountingThem() {
        String hooks = spool.enqueue(EnqueueRequest.builder().destination("hooks.example.com").body(new byte[0])
                .build());
        spool.enqueue(EnqueueRequest.builder().destination("Hooks.example.com").body(new byte[0]).build());
        spool.enqueue(EnqueueRequest.builder().body(new byte[0]).build());

        MessagePageDescriptor byDestination = page(endpoint.messages(ANYONE, "INCOMING", null, null, null, null, null,
                "hooks.example.com"));
        MessagePageDescriptor blank = page(endpoint.messages(ANYONE, "INCOMING", null, null, null, null, null, " "));

        assertThat(byDestination.items()).extracting(MessageDescriptor::id).containsExactly(hooks);
        assertThat(byDestination.total()).as("not counted").isEqualTo(-1);
        assertThat(blank.items()).as("a blank destination is no criterion").hasSize(3);
        assertThat(error(endpoint.messages(ANYONE, "INCOMING", null, null, null, null, null, "d".repeat(256)))
                .message()).startsWith("destination:");
    }

    @Test
    void messagesWithACriterionPageByTheCursorAndRefuseMalformedCriteriaWith400() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(spool.enqueue(Map.of("to", "a:b"), new byte[0]));
            clock.advance(Duration.ofSeconds(1));
        }

        MessagePageDescriptor first = page(endpoint.messages(ANYONE, "INCOMING", 2, null, "to:a:b", null, null, null));
        MessagePageDescriptor second = page(endpoint.messages(ANYONE, "INCOMING", 2, first.nextCursor(), "to:a:b",
                null, null, null));

        assertThat(first.items()).extracting(MessageDescriptor::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.hasMore()).isTrue();
        assertThat(second.items()).extracting(MessageDescriptor::id).containsExactly(ids.get(2));
        assertThat(second.hasMore()).isFalse();
        assertThat(error(endpoint.messages(ANYONE, "INCOMING", null, null, "tenant", null, null, null)).message())
                .startsWith("header:");
        assertThat(error(endpoint.messages(ANYONE, "INCOMING", null, null, ":acme", null, null, null)).message())
                .startsWith("name:");
        assertThat(error(endpoint.messages(ANYONE, "INCOMING", null, null, null, "soon", null, null)).message())
                .startsWith("olderThan:");
        assertThat(error(endpoint.messages(ANYONE, "INCOMING", null, null, null, "-1h", null, null)).message())
                .startsWith("age:");
    }

    @Test
    void messagesDescribeMetadataAndHeadersButNoBody() {
        String id = spool.enqueue(EnqueueRequest.builder().header("to", "ops@example.com").header("kind", "alert")
                .body(new byte[]{1, 2, 3}).priority(7).retryPolicy("slow").destination("example.com").build());

        MessageDescriptor message = page(unfiltered(endpoint, ANYONE, "incoming", null, null)).items().get(0);

        assertThat(message).isEqualTo(new MessageDescriptor(id, QueueState.INCOMING, 0, 10, START, START, START,
                null, 3, 7, Map.of("to", "ops@example.com", "kind", "alert"), "slow", null, "example.com"));
        assertThat(message.headers().keySet()).containsExactly("to", "kind");
        assertThat(MessageDescriptor.class.getRecordComponents())
                .extracting(component -> component.getName())
                .containsExactly("id", "state", "attempts", "maxAttempts", "nextRetry", "created", "updated",
                        "lastError", "size", "priority", "headers", "retryPolicy", "archivedAs", "destination");
    }

    @Test
    void anArchivedMessageSaysItWasDeliveredUntilItIsRequeued() {
        try (RetrySpool archiving = RetrySpool.builder().metaStore(new InMemoryMetaStore())
                .dataStore(new InMemoryDataStore()).clock(clock).archiveSuccess(true).build()) {
            RetrySpoolEndpoint archivingEndpoint = new RetrySpoolEndpoint(archiving, Show.ALWAYS, Set.of());
            String id = archiving.enqueue(Map.of(), new byte[0]);
            archiving.process(id, (context, message, body) -> { });

            assertThat(page(unfiltered(archivingEndpoint, ANYONE, "archived", null, null)).items())
                    .extracting(MessageDescriptor::archivedAs).containsExactly(ArchiveReason.DELIVERED);
            assertThat(message(archivingEndpoint.action(ANYONE, id, "requeue")).archivedAs()).isNull();
        }
    }

    @Test
    void aMessageShowsItsDestinationEvenWhenHeaderValuesAreMaskedAndNullWithoutOne() {
        String with = spool.enqueue(EnqueueRequest.builder().header("to", "ops@example.com").destination("example.com")
                .body(new byte[]{1}).build());
        String without = spool.enqueue(Map.of(), new byte[]{2});
        RetrySpoolEndpoint masking = new RetrySpoolEndpoint(spool, Show.NEVER, Set.of());

        assertThat(page(unfiltered(masking, ANYONE, "incoming", null, null)).items())
                .extracting(MessageDescriptor::id, MessageDescriptor::destination)
                .containsExactlyInAnyOrder(tuple(with, "example.com"), tuple(without, null));
        assertThat(message(masking.action(ANYONE, with, "hold")).destination()).isEqualTo("example.com");
    }

    @Test
    void messagesOfAnUnknownStateAnswer400NamingTheState() {
        WebEndpointResponse<OperationResponseBody> response = unfiltered(endpoint, ANYONE, "LOST", null, null);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(error(response).message()).contains("'LOST'").contains("INCOMING");
    }

    @Test
    void messagesWithAMalformedCursorOrAnOutOfRangeLimitAnswer400() {
        assertThat(unfiltered(endpoint, ANYONE, "INCOMING", null, "not-a-cursor").getStatus()).isEqualTo(400);
        assertThat(unfiltered(endpoint, ANYONE, "INCOMING", 0, null).getStatus()).isEqualTo(400);
        assertThat(error(unfiltered(endpoint, ANYONE, "INCOMING", 10_001, null)).message()).contains("limit");
    }

    @Test
    void holdParksAnIncomingOrDeferredMessage() {
        String incoming = enqueue();
        String deferred = enqueue();
        spool.moveToState(deferred, QueueState.INCOMING, QueueState.DEFERRED);

        assertThat(message(endpoint.action(ANYONE, incoming, "hold")).state()).isEqualTo(QueueState.HOLD);
        assertThat(message(endpoint.action(ANYONE, deferred, "hold")).state()).isEqualTo(QueueState.HOLD);
        assertThat(spool.getMessage(incoming).metadata().state()).isEqualTo(QueueState.HOLD);
    }

    @Test
    void releaseReturnsAHeldMessageToIncomingDueNow() {
        String id = enqueue();
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        clock.advance(Duration.ofMinutes(10));

        MessageDescriptor released = message(endpoint.action(ANYONE, id, "release"));

        assertThat(released.state()).isEqualTo(QueueState.INCOMING);
        assertThat(released.nextRetry()).isEqualTo(clock.instant());
        assertThat(released.id()).isEqualTo(id);
    }

    @Test
    void requeueMakesHeldDeferredBouncedAndArchivedMessagesIncomingAgain() {
        for (QueueState state : List.of(QueueState.HOLD, QueueState.DEFERRED, QueueState.BOUNCE,
                QueueState.ARCHIVED)) {
            String id = enqueue();
            spool.moveToState(id, QueueState.INCOMING, state);
            clock.advance(Duration.ofSeconds(5));

            MessageDescriptor requeued = message(endpoint.action(ANYONE, id, "requeue"));

            assertThat(requeued.state()).as("requeued from %s", state).isEqualTo(QueueState.INCOMING);
            assertThat(requeued.nextRetry()).as("due time after requeue from %s", state).isEqualTo(clock.instant());
        }
    }

    @Test
    void bounceSendsAnIncomingDeferredOrHeldMessageToBounce() {
        for (QueueState state : List.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.HOLD)) {
            String id = enqueue();
            if (state != QueueState.INCOMING) {
                spool.moveToState(id, QueueState.INCOMING, state);
            }

            assertThat(message(endpoint.action(ANYONE, id, "bounce")).state()).as("bounced from %s", state)
                    .isEqualTo(QueueState.BOUNCE);
        }
    }

    @Test
    void actionNamesAreCaseInsensitive() {
        String id = enqueue();

        assertThat(message(endpoint.action(ANYONE, id, "HOLD")).state()).isEqualTo(QueueState.HOLD);
    }

    @Test
    void actionOnAnUnknownIdAnswers404NamingTheId() {
        WebEndpointResponse<OperationResponseBody> response = endpoint.action(ANYONE, "no-such-id", "hold");

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(error(response)).isEqualTo(new ErrorDescriptor(404, "No message with id 'no-such-id'",
                "no-such-id", null));
    }

    @Test
    void releaseOfAnIncomingMessageAnswers409AndLeavesItAlone() {
        String id = enqueue();

        WebEndpointResponse<OperationResponseBody> response = endpoint.action(ANYONE, id, "release");

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(error(response).state()).isEqualTo(QueueState.INCOMING);
        assertThat(error(response).message()).contains(id).contains("INCOMING").contains("release needs it in HOLD");
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.INCOMING);
    }

    @Test
    void actionsThatTheStateDoesNotAllowAnswer409() {
        String archived = enqueue();
        spool.moveToState(archived, QueueState.INCOMING, QueueState.ARCHIVED);
        String held = enqueue();
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);

        assertThat(endpoint.action(ANYONE, archived, "hold").getStatus()).isEqualTo(409);
        assertThat(endpoint.action(ANYONE, archived, "bounce").getStatus()).isEqualTo(409);
        assertThat(endpoint.action(ANYONE, held, "hold").getStatus()).isEqualTo(409);
        assertThat(endpoint.action(ANYONE, enqueue(), "requeue").getStatus()).isEqualTo(409);
    }

    @Test
    void aMessageBeingProcessedCanBeHeldButNotReleasedUntilItsAttemptEnds() {
        String id = enqueue();
        AtomicReference<WebEndpointResponse<OperationResponseBody>> hold = new AtomicReference<>();
        AtomicReference<WebEndpointResponse<OperationResponseBody>> release = new AtomicReference<>();
        AtomicReference<WebEndpointResponse<OperationResponseBody>> bounce = new AtomicReference<>();

        spool.process(id, (context, message, body) -> {
            bounce.set(endpoint.action(ANYONE, id, "bounce"));
            hold.set(endpoint.action(ANYONE, id, "hold"));
            release.set(endpoint.action(ANYONE, id, "release"));
        });

        assertThat(bounce.get().getStatus()).isEqualTo(409);
        assertThat(error(bounce.get()).state()).isEqualTo(QueueState.ACTIVE);
        assertThat(hold.get().getStatus()).isEqualTo(200);
        assertThat(release.get().getStatus()).isEqualTo(409);
        assertThat(error(release.get()).message()).contains("still runs");
        assertThat(spool.getMessage(id).metadata().state()).as("the attempt's outcome is discarded")
                .isEqualTo(QueueState.HOLD);
        assertThat(endpoint.action(ANYONE, id, "release").getStatus()).as("once the attempt has ended").isEqualTo(200);
    }

    @Test
    void aStateChangeBetweenReadAndMoveAnswers409WithTheNewState() {
        String id = enqueue();
        RetrySpool racing = SpoolProxies.spool(spool, Map.<String, Supplier<?>>of("getMessage", () -> {
            var seen = spool.getMessage(id);
            if (seen.metadata().state() == QueueState.INCOMING) {
                spool.moveToState(id, QueueState.INCOMING, QueueState.DEFERRED);
            }
            return seen;
        }));

        WebEndpointResponse<OperationResponseBody> response = new RetrySpoolEndpoint(racing, Show.ALWAYS, Set.of()).action(ANYONE, id, "bounce");

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(error(response).state()).isEqualTo(QueueState.DEFERRED);
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.DEFERRED);
    }

    @Test
    void unknownActionAnswers400NamingTheKnownOnes() {
        String id = enqueue();

        WebEndpointResponse<OperationResponseBody> response = endpoint.action(ANYONE, id, "explode");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(error(response).message()).contains("'explode'").contains("hold, release, requeue, bounce");
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.INCOMING);
    }

    @Test
    void deleteRemovesTheMessageAndAnswers204() {
        String id = enqueue();

        WebEndpointResponse<OperationResponseBody> response = endpoint.delete(id);

        assertThat(response.getStatus()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThatExceptionOfType(MessageNotFoundException.class).isThrownBy(() -> spool.getMessage(id));
    }

    @Test
    void deleteOfAnUnknownIdAnswers404NamingTheId() {
        WebEndpointResponse<OperationResponseBody> response = endpoint.delete("gone");

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(error(response).id()).isEqualTo("gone");
        assertThat(error(response).message()).contains("'gone'");
    }

    private String enqueue() {
        return spool.enqueue(Map.of(), new byte[0]);
    }

    /** Lists without criteria, as every request did before the listing took them. */
    private static WebEndpointResponse<OperationResponseBody> unfiltered(RetrySpoolEndpoint target,
            SecurityContext caller, String state, Integer limit, String after) {
        return target.messages(caller, state, limit, after, null, null, null, null);
    }

    private static MessagePageDescriptor page(WebEndpointResponse<OperationResponseBody> response) {
        assertThat(response.getStatus()).isEqualTo(200);
        return (MessagePageDescriptor) response.getBody();
    }

    private static MessageDescriptor message(WebEndpointResponse<OperationResponseBody> response) {
        assertThat(response.getStatus()).as("status of %s", response.getBody()).isEqualTo(200);
        return (MessageDescriptor) response.getBody();
    }

    private static ErrorDescriptor error(WebEndpointResponse<OperationResponseBody> response) {
        return (ErrorDescriptor) response.getBody();
    }

    @Test
    void headerValuesAreMaskedByDefaultButNamesIdsAndTheErrorAreShown() {
        String id = spool.enqueue(EnqueueRequest.builder().header("to", "+44 7700 900123")
                .header("subject", "your reset code is 739120").body(new byte[]{1}).build());
        RetrySpoolEndpoint masking = new RetrySpoolEndpoint(spool, Show.NEVER, Set.of());

        MessageDescriptor listed = page(unfiltered(masking, ANYONE, "INCOMING", null, null)).items().get(0);
        WebEndpointResponse<OperationResponseBody> held = masking.action(ANYONE, id, "hold");

        assertThat(listed.id()).isEqualTo(id);
        assertThat(listed.headers()).containsExactly(Map.entry("to", RetrySpoolEndpoint.MASK),
                Map.entry("subject", RetrySpoolEndpoint.MASK));
        assertThat(((MessageDescriptor) held.getBody()).headers()).containsOnlyKeys("to", "subject")
                .allSatisfy((name, value) -> assertThat(value).isEqualTo(RetrySpoolEndpoint.MASK));
    }

    @Test
    void whenAuthorizedShowsHeaderValuesOnlyToUsersWithOneOfTheRoles() {
        spool.enqueue(EnqueueRequest.builder().header("to", "alice@example.com").body(new byte[]{1}).build());
        RetrySpoolEndpoint endpoint = new RetrySpoolEndpoint(spool, Show.WHEN_AUTHORIZED, Set.of("OPS"));

        assertThat(headersSeenBy(endpoint, ANYONE)).containsEntry("to", RetrySpoolEndpoint.MASK);
        assertThat(headersSeenBy(endpoint, user("bob", "SUPPORT"))).containsEntry("to", RetrySpoolEndpoint.MASK);
        assertThat(headersSeenBy(endpoint, user("carol", "OPS"))).containsEntry("to", "alice@example.com");
    }

    private static Map<String, String> headersSeenBy(RetrySpoolEndpoint endpoint, SecurityContext caller) {
        return page(unfiltered(endpoint, caller, "INCOMING", null, null)).items().get(0).headers();
    }

    private static SecurityContext user(String name, String... roles) {
        return new SecurityContext() {
            @Override
            public java.security.Principal getPrincipal() {
                return () -> name;
            }

            @Override
            public boolean isUserInRole(String role) {
                return Set.of(roles).contains(role);
            }
        };
    }

    @Test
    void backlogSelectorAnswersTheShapeOfEveryStateButArchivedByAgeSinceEnqueue() {
        String held = enqueue();
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);
        clock.advance(Duration.ofMinutes(7));
        enqueue();

        WebEndpointResponse<OperationResponseBody> response = unfiltered(endpoint, ANYONE, "backlog", null, null);

        assertThat(response.getStatus()).isEqualTo(200);
        BacklogDescriptor backlog = (BacklogDescriptor) response.getBody();
        assertThat(backlog.takenAt()).isEqualTo(START.plus(Duration.ofMinutes(7)));
        assertThat(backlog.buckets())
                .containsExactly("5m", "10m", "20m", "40m", "80m", "160m", "320m", "640m", "1280m", "+Inf");
        assertThat(backlog.states()).containsOnlyKeys("INCOMING", "ACTIVE", "DEFERRED", "HOLD", "BOUNCE");
        assertThat(backlog.states().keySet()).containsExactly("INCOMING", "ACTIVE", "DEFERRED", "HOLD", "BOUNCE");
        assertThat(backlog.states().get("INCOMING")).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(backlog.states().get("HOLD")).containsExactly(0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(backlog.totals()).containsExactly(Map.entry("INCOMING", 1L), Map.entry("ACTIVE", 0L),
                Map.entry("DEFERRED", 0L), Map.entry("HOLD", 1L), Map.entry("BOUNCE", 0L));
    }

    @Test
    void backlogSelectorIsTakenInAnyCase() {
        enqueue();

        assertThat(unfiltered(endpoint, ANYONE, " Backlog ", null, null).getBody())
                .isInstanceOf(BacklogDescriptor.class);
    }

    @Test
    void anUnknownStateIsRefusedNamingTheBacklogAmongTheChoices() {
        ErrorDescriptor error = error(unfiltered(endpoint, ANYONE, "backlogs", null, null));

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).contains("'backlogs'").endsWith(", backlog or destinations");
    }
}
