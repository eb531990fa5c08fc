package io.retryspool.boot.autoconfigure.endpoint;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.retryspool.DestinationStatus;
import io.retryspool.EnqueueRequest;
import io.retryspool.MutableClock;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.DestinationDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.DestinationsDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.ErrorDescriptor;
import io.retryspool.boot.autoconfigure.operations.DestinationState;
import io.retryspool.boot.autoconfigure.testing.FakeDestinations;
import io.retryspool.handler.RetryableException;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's view of suspended destinations (in the overview and at {@code GET /actuator/retryspool/destinations})
 * and its resume action ({@code POST /actuator/retryspool/destinations/{name}}), on destinations whose statuses the
 * test sets.
 */
class RetrySpoolEndpointDestinationsTests {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RetrySpool real = RetrySpool.builder()
            .metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore(clock))
            .clock(clock)
            .build();
    private final FakeDestinations destinations = new FakeDestinations();
    private final RetrySpoolEndpoint endpoint = new RetrySpoolEndpoint(destinations.around(real), Show.NEVER, Set.of(),
            clock);

    @AfterEach
    void closeSpool() {
        real.close();
    }

    @Test
    void theOverviewListsTheSuspendedDestinationsByNameEachPausedOrProbing() {
        destinations.put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)))
                .put(new DestinationStatus("hooks.example.com", 7, 2, START.minusSeconds(1)))
                .put(new DestinationStatus("flaky.example.com", 3, 0, null));

        assertThat(endpoint.overview().suspendedDestinations()).containsExactly(
                new DestinationDescriptor("hooks.example.com", DestinationState.PROBING, 7, 2, START.minusSeconds(1)),
                new DestinationDescriptor("mail.example.com", DestinationState.PAUSED, 5, 1, START.plusSeconds(300)));
    }

    @Test
    void aPausedDestinationIsProbingOnceItsPauseHasEndedByTheSpoolsClock() {
        destinations.put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)));

        clock.advance(Duration.ofSeconds(299));
        assertThat(listed().suspended()).extracting(DestinationDescriptor::state).containsExactly(DestinationState.PAUSED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(listed().suspended()).extracting(DestinationDescriptor::state).containsExactly(DestinationState.PROBING);
    }

    @Test
    void theDestinationsSelectorListsThemWithTheTimeTheyWereJudgedAtInAnyCase() {
        destinations.put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)));
        clock.advance(Duration.ofSeconds(10));

        DestinationsDescriptor listed = listed();
        WebEndpointResponse<OperationResponseBody> upper = endpoint.messages(SecurityContext.NONE, " Destinations ",
                null, null, null, null, null, null);

        assertThat(listed.takenAt()).isEqualTo(START.plusSeconds(10));
        assertThat(listed.suspended()).extracting(DestinationDescriptor::name).containsExactly("mail.example.com");
        assertThat(upper.getBody()).isEqualTo(listed);
    }

    @Test
    void noSuspendedDestinationIsAnEmptyList() {
        assertThat(listed().suspended()).isEmpty();
        assertThat(endpoint.overview().suspendedDestinations()).isEmpty();
    }

    @Test
    void resumeEndsASuspensionAndAnswersTheDestinationHealthy() {
        destinations.put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)))
                .put(new DestinationStatus("hooks.example.com", 7, 2, START.plusSeconds(600)));

        WebEndpointResponse<OperationResponseBody> response = endpoint.destinationAction(SecurityContext.NONE,
                "destinations", "mail.example.com", "resume");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo(new DestinationDescriptor("mail.example.com", DestinationState.HEALTHY,
                0, 0, null));
        assertThat(destinations.status("mail.example.com").suspended()).isFalse();
        assertThat(listed().suspended()).extracting(DestinationDescriptor::name).containsExactly("hooks.example.com");
    }

    @Test
    void resumeIsLoggedWithTheCaller() {
        destinations.put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)));
        Logger logger = (Logger) LoggerFactory.getLogger(RetrySpoolEndpoint.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        try {
            endpoint.destinationAction(caller("ops"), "destinations", "mail.example.com", " RESUME ");
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("Destination mail.example.com resumed by ops");
    }

    @Test
    void resumeOfADestinationThatIsNotSuspendedAnswers409() {
        destinations.put(new DestinationStatus("flaky.example.com", 3, 0, null));

        ErrorDescriptor failing = error(endpoint.destinationAction(SecurityContext.NONE, "destinations",
                "flaky.example.com", "resume"));
        ErrorDescriptor unknown = error(endpoint.destinationAction(SecurityContext.NONE, "destinations",
                "never.example.com", "resume"));

        assertThat(failing.status()).isEqualTo(409);
        assertThat(failing.message()).isEqualTo("Destination 'flaky.example.com' is not suspended; there is nothing "
                + "to resume");
        assertThat(unknown.status()).isEqualTo(409);
    }

    @Test
    void anUnknownActionAnotherSectionOrAnInvalidNameIsRefused() {
        destinations.put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)));

        ErrorDescriptor unknownAction = error(endpoint.destinationAction(SecurityContext.NONE, "destinations",
                "mail.example.com", "suspend"));
        ErrorDescriptor otherSection = error(endpoint.destinationAction(SecurityContext.NONE, "backlog",
                "mail.example.com", "resume"));
        ErrorDescriptor tooLong = error(endpoint.destinationAction(SecurityContext.NONE, "destinations",
                "d".repeat(256), "resume"));

        assertThat(unknownAction.status()).isEqualTo(400);
        assertThat(unknownAction.message()).contains("'suspend'").contains("expected resume");
        assertThat(otherSection.status()).isEqualTo(404);
        assertThat(otherSection.message()).contains("destinations/{name}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.message()).startsWith("destination:");
        assertThat(destinations.status("mail.example.com").suspended()).isTrue();
    }

    @Test
    void onARealSpoolADestinationThatFailedIsListedPausedThenProbingAndTheEndpointResumesIt() {
        try (RetrySpool spool = RetrySpool.builder().metaStore(new InMemoryMetaStore())
                .dataStore(new InMemoryDataStore(clock)).clock(clock)
                .destinationFailureThreshold(1).destinationSuspend(Duration.ofMinutes(5)).build()) {
            RetrySpoolEndpoint real = new RetrySpoolEndpoint(spool, Show.NEVER, Set.of(), clock);
            String id = spool.enqueue(EnqueueRequest.builder().destination("mail.example.com").body(new byte[0])
                    .build());
            spool.process(id, (context, message, body) -> {
                throw new RetryableException("connection refused");
            });

            assertThat(real.overview().suspendedDestinations()).containsExactly(new DestinationDescriptor(
                    "mail.example.com", DestinationState.PAUSED, 1, 1, START.plus(Duration.ofMinutes(5))));
            clock.advance(Duration.ofMinutes(5));
            assertThat(((DestinationsDescriptor) real.messages(SecurityContext.NONE, "destinations", null, null, null,
                    null, null, null).getBody()).suspended()).extracting(DestinationDescriptor::state)
                    .containsExactly(DestinationState.PROBING);

            assertThat(real.destinationAction(SecurityContext.NONE, "destinations", "mail.example.com", "resume")
                    .getStatus()).isEqualTo(200);
            assertThat(spool.suspendedDestinations()).isEmpty();
            assertThat(real.overview().suspendedDestinations()).isEmpty();
            assertThat(real.destinationAction(SecurityContext.NONE, "destinations", "mail.example.com", "resume")
                    .getStatus()).as("once resumed").isEqualTo(409);
        }
    }

    private DestinationsDescriptor listed() {
        WebEndpointResponse<OperationResponseBody> response = endpoint.messages(SecurityContext.NONE,
                RetrySpoolEndpoint.DESTINATIONS, null, null, null, null, null, null);
        assertThat(response.getStatus()).isEqualTo(200);
        return (DestinationsDescriptor) response.getBody();
    }

    private static ErrorDescriptor error(WebEndpointResponse<OperationResponseBody> response) {
        ErrorDescriptor error = (ErrorDescriptor) response.getBody();
        assertThat(error.status()).isEqualTo(response.getStatus());
        return error;
    }

    private static SecurityContext caller(String name) {
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return () -> name;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }
        };
    }
}
