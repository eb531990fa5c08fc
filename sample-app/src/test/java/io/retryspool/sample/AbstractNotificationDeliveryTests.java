package io.retryspool.sample;

import io.retryspool.ArchiveReason;
import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample end to end, over HTTP, with the real spool, handlers, metrics and Actuator: one subclass per
 * database. Retries are set to 2 seconds so that a retry can be watched without slowing the suite down.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "retryspool.retry.intervals=2s",
        "retryspool.worker.poll-interval=100ms",
        "retryspool.worker.shutdown-grace=1s",
        "retryspool.metrics.count-refresh=100ms",
        "retryspool.archive.success=true",
        "retryspool.archive.bounce=false",
        "sample.delivery.failure-rate=0",
        "sample.delivery.permanent-failure-rate=0"})
@AutoConfigureRestTestClient
@DirtiesContext
abstract class AbstractNotificationDeliveryTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The demo operator of application.yml. */
    private static final String OPERATOR = "operator";
    private static final String OPERATOR_PASSWORD = "operator";
    private static final Pattern MESSAGES_GAUGE = Pattern.compile("^retryspool_messages\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern STATE_LABEL = Pattern.compile("state=\"([^\"]*)\"");

    @Autowired
    private RestTestClient client;

    @Autowired
    private RetrySpool spool;

    @Test
    void acceptedNotificationIsDeliveredOnItsFirstAttempt() {
        String id = send("ada@example.com");

        NotificationStatus delivered = awaitState(id, QueueState.ARCHIVED);

        assertThat(delivered.attempts()).isEqualTo(1);
        assertThat(delivered.lastError()).isNull();
        assertThat(delivered.archivedAs()).isEqualTo(ArchiveReason.DELIVERED);
    }

    @Test
    void notificationWithoutRecipientIsRejectedWithAMessage() {
        client.post().uri("/notifications")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new NotificationRequest(" ", "Hello", "text", null))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("recipient must not be blank");
    }

    @Test
    void unknownNotificationIsNotFound() {
        client.get().uri("/notifications/{id}", "no-such-notification")
                .exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void flakyRecipientIsDeferredAfterItsFirstAttemptAndDeliveredOnTheRetry() {
        String id = send("flaky-bob@example.com");

        NotificationStatus deferred = awaitState(id, QueueState.DEFERRED);
        assertThat(deferred.attempts()).isEqualTo(1);
        assertThat(deferred.archivedAs()).isNull();
        assertThat(deferred.lastError()).contains("RetryableException").contains("timed out");
        assertThat(deferred.nextRetry()).isAfter(Instant.now().minusSeconds(1));

        NotificationStatus delivered = awaitState(id, QueueState.ARCHIVED);
        assertThat(delivered.attempts()).isEqualTo(2);
    }

    @Test
    void invalidRecipientBouncesToTheBounceHandler() {
        String id = send("invalid-carol@example.com");

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(bounced())
                .filteredOn(notification -> notification.id().equals(id))
                .singleElement()
                .satisfies(notification -> {
                    assertThat(notification.recipient()).isEqualTo("invalid-carol@example.com");
                    assertThat(notification.lastError()).contains("PermanentException").contains("does not exist");
                }));
        // not archived (retryspool.archive.bounce=false): gone once the bounce handler has run
        await().atMost(TIMEOUT).until(() -> status(id).isEmpty());
    }

    @Test
    void heldNotificationIsDeliveredOnlyAfterItIsReleased() {
        String id = send("dave@example.com", Instant.now().plusSeconds(1));

        act(id, "hold", OPERATOR_PASSWORD).expectStatus().isOk();
        assertThat(status(id)).get().extracting(NotificationStatus::state).isEqualTo(QueueState.HOLD);
        // well past its send time and several polls: still held
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> status(id).map(NotificationStatus::state).orElse(null) == QueueState.HOLD);

        act(id, "release", OPERATOR_PASSWORD).expectStatus().isOk();

        NotificationStatus delivered = awaitState(id, QueueState.ARCHIVED);
        assertThat(delivered.attempts()).isEqualTo(1);
    }

    @Test
    void actingOnTheSpoolWithoutCredentialsIsRefusedAndChangesNothing() {
        String id = send("grace@example.com", Instant.now().plus(Duration.ofHours(1)));

        act(id, "hold", null).expectStatus().isUnauthorized();
        act(id, "hold", "not-the-password").expectStatus().isUnauthorized();
        client.delete().uri("/actuator/retryspool/{id}", id).exchange().expectStatus().isUnauthorized();

        assertThat(status(id)).get().extracting(NotificationStatus::state).isEqualTo(QueueState.INCOMING);
    }

    @Test
    void theOperatorMayActOnTheSpool() {
        String id = send("heidi@example.com", Instant.now().plus(Duration.ofHours(1)));

        act(id, "hold", OPERATOR_PASSWORD).expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("HOLD");
        client.delete().uri("/actuator/retryspool/{id}", id)
                .headers(headers -> headers.setBasicAuth(OPERATOR, OPERATOR_PASSWORD))
                .exchange()
                .expectStatus().isNoContent();
        assertThat(status(id)).isEmpty();
    }

    @Test
    void theOperatorCountsThenReleasesAFilteredSetOverHttp() {
        String first = send("kim@example.com", Instant.now().plus(Duration.ofHours(1)));
        String second = send("kim@example.com", Instant.now().plus(Duration.ofHours(1)));
        String other = send("lee@example.com", Instant.now().plus(Duration.ofHours(1)));
        for (String id : List.of(first, second, other)) {
            act(id, "hold", OPERATOR_PASSWORD).expectStatus().isOk();
        }
        Map<String, Object> request = new java.util.LinkedHashMap<>(Map.of("action", "release", "state", "hold",
                "header", NotificationController.RECIPIENT_HEADER + ":kim@example.com", "olderThan", "0s"));

        request.put("dryRun", true);
        bulk(request).expectStatus().isOk().expectBody()
                .jsonPath("$.matched").isEqualTo(2).jsonPath("$.estimated").isEqualTo(false)
                .jsonPath("$.changed").isEqualTo(0);
        request.put("dryRun", false);
        bulk(request).expectStatus().isOk().expectBody().jsonPath("$.changed").isEqualTo(2);
        request.put("state", "nope");
        bulk(request).expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(String.class,
                message -> assertThat(message).startsWith("state:"));

        assertThat(status(first)).get().extracting(NotificationStatus::state).isNotEqualTo(QueueState.HOLD);
        assertThat(status(second)).get().extracting(NotificationStatus::state).isNotEqualTo(QueueState.HOLD);
        assertThat(status(other)).get().extracting(NotificationStatus::state).isEqualTo(QueueState.HOLD);
    }

    @Test
    void headerValuesAreMaskedForAnonymousReadersAndShownToTheOperator() {
        String id = send("ivan@example.com", Instant.now().plus(Duration.ofHours(1)));

        client.get().uri("/actuator/retryspool/incoming?limit=10000")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.id == '%s')].headers.%s".formatted(id, NotificationController.RECIPIENT_HEADER))
                .isEqualTo(List.of("******"));
        client.get().uri("/actuator/retryspool/incoming?limit=10000")
                .headers(headers -> headers.setBasicAuth(OPERATOR, OPERATOR_PASSWORD))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.id == '%s')].headers.%s".formatted(id, NotificationController.RECIPIENT_HEADER))
                .isEqualTo(List.of("ivan@example.com"));
    }

    @Test
    void prometheusShowsTheMessageCountOfEveryState() {
        send("erin@example.com", Instant.now().plus(Duration.ofHours(1)));
        String held = send("frank@example.com", Instant.now().plus(Duration.ofHours(1)));
        spool.moveToState(held, QueueState.INCOMING, QueueState.HOLD);

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<QueueState, Double> scraped = scrapeMessageGauges();
            Map<QueueState, Long> counts = spool.counts();
            assertThat(scraped).containsOnlyKeys(QueueState.values());
            counts.forEach((state, count) -> assertThat(scraped.get(state)).as(state.name()).isEqualTo(count.doubleValue()));
            assertThat(scraped.get(QueueState.INCOMING)).isGreaterThanOrEqualTo(1.0);
            assertThat(scraped.get(QueueState.HOLD)).isGreaterThanOrEqualTo(1.0);
        });
    }

    @Test
    void healthShowsRetrySpoolUp() {
        client.get().uri("/actuator/health")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.retryspool.status").isEqualTo("UP");
    }

    @Test
    void anonymousReadersGetTheBacklogShapeAndPrometheusShowsItsGauges() {
        send("judy@example.com", Instant.now().plus(Duration.ofHours(1)));

        client.get().uri("/actuator/retryspool/backlog")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.buckets[0]").isEqualTo("5m")
                .jsonPath("$.buckets[9]").isEqualTo("+Inf")
                .jsonPath("$.states.INCOMING.length()").isEqualTo(10)
                .jsonPath("$.states.ARCHIVED").doesNotExist()
                .jsonPath("$.totals.INCOMING").value(Integer.class, total -> assertThat(total).isPositive());
        String scraped = client.get().uri("/actuator/prometheus")
                .accept(MediaType.TEXT_PLAIN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(scraped).contains("retryspool_backlog{age=\"+Inf\",state=\"DEFERRED\"}");
    }

    @Test
    void aDestinationThatFailedFiveTimesInARowIsListedAndTheOperatorResumesItOverHttp() {
        String destination = "down-" + System.nanoTime() + ".example.com";
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // a "flaky" recipient fails its first attempt: five of them are five failures in a row
            ids.add(spool.enqueue(EnqueueRequest.builder()
                    .payload(new Notification("flaky" + i + "@" + destination, "hi", "hello"))
                    .destination(destination).build()));
        }
        await().atMost(TIMEOUT).until(() -> spool.suspendedDestinations().stream()
                .anyMatch(status -> status.name().equals(destination)));

        client.get().uri("/actuator/retryspool/destinations")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.suspended[?(@.name == '%s')].state".formatted(destination)).isEqualTo(List.of("PAUSED"))
                .jsonPath("$.suspended[?(@.name == '%s')].failures".formatted(destination)).isEqualTo(List.of(5));
        resume(destination, null).expectStatus().isUnauthorized();
        resume(destination, OPERATOR_PASSWORD).expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo(destination).jsonPath("$.state").isEqualTo("HEALTHY");
        resume(destination, OPERATOR_PASSWORD).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.message")
                .isEqualTo("Destination '" + destination + "' is not suspended; there is nothing to resume");

        // retried 2s after their failed attempt, as if the pause had ended
        for (String id : ids) {
            assertThat(awaitState(id, QueueState.ARCHIVED).attempts()).isEqualTo(2);
        }
        assertThat(client.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .contains("retryspool_destinations_suspended");
    }

    private RestTestClient.ResponseSpec resume(String destination, String password) {
        return client.post().uri("/actuator/retryspool/destinations/{name}", destination)
                .headers(headers -> {
                    if (password != null) {
                        headers.setBasicAuth(OPERATOR, password);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("action", "resume"))
                .exchange();
    }

    private RestTestClient.ResponseSpec bulk(Map<String, Object> request) {
        return client.post().uri("/actuator/retryspool")
                .headers(headers -> headers.setBasicAuth(OPERATOR, OPERATOR_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .exchange();
    }

    private RestTestClient.ResponseSpec act(String id, String action, String password) {
        return client.post().uri("/actuator/retryspool/{id}", id)
                .headers(headers -> {
                    if (password != null) {
                        headers.setBasicAuth(OPERATOR, password);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("action", action))
                .exchange();
    }

    String send(String recipient) {
        return send(recipient, null);
    }

    String send(String recipient, Instant sendAt) {
        NotificationAccepted accepted = client.post().uri("/notifications")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new NotificationRequest(recipient, "Hello", "Hello from RetrySpool", sendAt))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(NotificationAccepted.class)
                .returnResult().getResponseBody();
        assertThat(accepted).isNotNull();
        assertThat(accepted.id()).isNotBlank();
        return accepted.id();
    }

    private Optional<NotificationStatus> status(String id) {
        EntityExchangeResult<NotificationStatus> result = client.get().uri("/notifications/{id}", id)
                .exchange()
                .returnResult(NotificationStatus.class);
        if (result.getStatus() == HttpStatus.NOT_FOUND) {
            return Optional.empty();
        }
        assertThat(result.getStatus()).isEqualTo(HttpStatus.OK);
        return Optional.ofNullable(result.getResponseBody());
    }

    private NotificationStatus awaitState(String id, QueueState state) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> status(id).orElse(null), status -> status != null && status.state() == state);
    }

    private List<BouncedNotification> bounced() {
        return client.get().uri("/notifications/bounced")
                .exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<BouncedNotification>>() { })
                .returnResult().getResponseBody();
    }

    private Map<QueueState, Double> scrapeMessageGauges() {
        String text = client.get().uri("/actuator/prometheus")
                .accept(MediaType.TEXT_PLAIN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class)
                .returnResult().getResponseBody();
        Map<QueueState, Double> gauges = new EnumMap<>(QueueState.class);
        Matcher line = MESSAGES_GAUGE.matcher(text == null ? "" : text);
        while (line.find()) {
            Matcher state = STATE_LABEL.matcher(line.group(1));
            if (state.find()) {
                gauges.put(QueueState.valueOf(state.group(1).toUpperCase(java.util.Locale.ROOT)), Double.valueOf(line.group(2)));
            }
        }
        return gauges;
    }
}
