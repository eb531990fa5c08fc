package io.retryspool;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetrySpoolListener;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Typed messages on each store: payloads sent as objects are stored as JSON with their logical type name, read back
 * into the listener method's parameter, routed by type and destination, and fail as a handler's messages do. Spools
 * run with real worker threads and the real clock.
 */
public abstract class AbstractTypedMessageBehaviourTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    protected SpoolStore store;
    private final List<RetrySpool> spools = new ArrayList<>();

    /** An order as the application sends it; its logical name is independent of the class name. */
    @RetrySpoolMessage("order-placed")
    public record OrderPlaced(String orderId, BigDecimal total, Instant placedAt, List<String> items) {
    }

    /** A payload type without {@link RetrySpoolMessage}: named by its simple class name. */
    public record Reminder(String text) {
    }

    /**
     * Creates an empty store for one test.
     *
     * @return the store
     */
    protected abstract SpoolStore createStore();

    /** Releases what the store holds once every spool of the test is closed; nothing by default. */
    protected void closeStore() {
    }

    @BeforeEach
    void createStoreForTest() {
        store = createStore();
    }

    @AfterEach
    void closeSpoolsThenStore() {
        try {
            spools.forEach(RetrySpool::close);
        } finally {
            closeStore();
        }
    }

    private RetrySpool spool(Consumer<RetrySpoolBuilder> customizer) {
        RetrySpoolBuilder builder = RetrySpool.builder().store(store).pollInterval(Duration.ofMillis(20))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(50))).archiveSuccess(true).archiveBounce(true);
        customizer.accept(builder);
        RetrySpool spool = builder.build();
        spools.add(spool);
        return spool;
    }

    private static OrderPlaced order(String id) {
        return new OrderPlaced(id, new BigDecimal("12.50"), Instant.parse("2026-12-01T10:15:30.123456Z"),
                List.of("book", "pen"));
    }

    private static String bodyText(RetrySpool spool, String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MessageBody body = spool.openBody(id)) {
            body.transferTo(out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MessageMetadata awaitState(RetrySpool spool, String id, QueueState state) {
        await().atMost(WAIT).until(() -> spool.getMessage(id).metadata().state() == state);
        return spool.getMessage(id).metadata();
    }

    /** Waits until the message bounced: in BOUNCE, or archived as bounced once bounce handlers ran. */
    private static MessageMetadata awaitBounced(RetrySpool spool, String id) {
        await().atMost(WAIT).until(() -> {
            MessageMetadata metadata = spool.getMessage(id).metadata();
            return metadata.state() == QueueState.BOUNCE || metadata.archivedAs() == ArchiveReason.BOUNCED;
        });
        return spool.getMessage(id).metadata();
    }

    /** Records the payloads it receives. */
    public static final class OrderListener {
        final List<OrderPlaced> received = new CopyOnWriteArrayList<>();

        @RetrySpoolListener
        public void on(OrderPlaced order) {
            received.add(order);
        }
    }

    @Test
    void aSentPayloadIsStoredAsJsonWithItsTypeNameAndReachesItsListenerEqualToWhatWasSent() throws IOException {
        OrderListener listener = new OrderListener();
        RetrySpool spool = spool(builder -> builder.listener(listener));

        String id = spool.send(order("A-1"));

        MessageMetadata stored = spool.getMessage(id).metadata();
        assertThat(stored.headers()).containsEntry("x-retryspool-type", "order-placed")
                .containsEntry("content-type", "application/json");
        assertThat(bodyText(spool, id)).contains("\"orderId\":\"A-1\"").doesNotContain(OrderPlaced.class.getName());
        spool.start();
        awaitState(spool, id, QueueState.ARCHIVED);
        assertThat(listener.received).containsExactly(order("A-1"));
    }

    @Test
    void aTypeWithoutAnAnnotationIsNamedByItsSimpleClassName() {
        List<Reminder> received = new CopyOnWriteArrayList<>();
        Object listener = new Object() {
            @RetrySpoolListener
            public void on(Reminder reminder) {
                received.add(reminder);
            }
        };
        RetrySpool spool = spool(builder -> builder.listener(listener));

        String id = spool.send(new Reminder("call back"));

        assertThat(spool.getMessage(id).metadata().headers()).containsEntry("x-retryspool-type", "Reminder");
        spool.start();
        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(received).containsExactly(new Reminder("call back"));
    }

    @Test
    void aRequestWithAPayloadKeepsItsSettingsAndMixesWithBodiesInOneEnqueueAll() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Object listener = new Object() {
            @RetrySpoolListener
            public void on(OrderPlaced order, MessageContext context) {
                seen.add("typed:" + order.orderId() + ":" + context.attempt());
                context.setHeader("x-handled-by", "listener");
            }
        };
        MessageHandler raw = new MessageHandler() {
            @Override
            public void handle(MessageContext context, Message message, MessageBody body) throws IOException {
                seen.add("raw:" + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        };
        RetrySpool spool = spool(builder -> builder.listener(listener).handler(raw));

        List<String> ids = spool.enqueueAll(List.of(
                EnqueueRequest.builder().payload(order("B-1")).priority(90).destination("shop.example")
                        .idempotencyKey("order-B-1").header("x-retryspool-type", "overwritten").build(),
                EnqueueRequest.builder().body("plain".getBytes(StandardCharsets.UTF_8)).build()));

        MessageMetadata typed = spool.getMessage(ids.get(0)).metadata();
        assertThat(typed.priority()).isEqualTo(90);
        assertThat(typed.destination()).isEqualTo("shop.example");
        assertThat(typed.headers()).containsEntry("x-retryspool-type", "order-placed");
        assertThat(spool.enqueue(EnqueueRequest.builder().payload(order("B-1")).idempotencyKey("order-B-1").build()))
                .isEqualTo(ids.get(0));
        spool.start();
        MessageMetadata delivered = awaitState(spool, ids.get(0), QueueState.ARCHIVED);
        awaitState(spool, ids.get(1), QueueState.ARCHIVED);
        assertThat(seen).containsExactlyInAnyOrder("typed:B-1:1", "raw:plain");
        assertThat(delivered.headers()).containsEntry("x-handled-by", "listener");
    }

    @Test
    void aListenersExceptionsCountAsAHandlersDo() {
        AtomicInteger calls = new AtomicInteger();
        Object listener = new Object() {
            @RetrySpoolListener
            public void on(OrderPlaced order) {
                int call = calls.incrementAndGet();
                if (order.orderId().startsWith("retry") && call == 1) {
                    throw new RetryableException("shop is down");
                }
                if (order.orderId().startsWith("refuse")) {
                    throw new PermanentException("order " + order.orderId() + " is refused");
                }
            }
        };
        RetrySpool spool = spool(builder -> builder.listener(listener).archiveBounce(true));
        spool.start();

        String retried = spool.send(order("retry-1"));
        MessageMetadata delivered = awaitState(spool, retried, QueueState.ARCHIVED);
        assertThat(delivered.attempts()).isEqualTo(2);
        assertThat(delivered.archivedAs()).isEqualTo(ArchiveReason.DELIVERED);

        String refused = spool.send(order("refuse-1"));
        MessageMetadata bounced = awaitBounced(spool, refused);
        assertThat(bounced.lastError()).contains("order refuse-1 is refused");
    }

    @Test
    void aPayloadThatCannotBeReadBouncesWithAnErrorNamingTheTypeAndTheParameter() {
        OrderListener listener = new OrderListener();
        RetrySpool spool = spool(builder -> builder.listener(listener));
        spool.start();

        String notJson = spool.enqueue(Map.of("x-retryspool-type", "order-placed"),
                "<order id=1/>".getBytes(StandardCharsets.UTF_8));
        String wrongShape = spool.enqueue(Map.of("x-retryspool-type", "order-placed"),
                "{\"orderId\":\"C-1\",\"total\":\"twelve\"}".getBytes(StandardCharsets.UTF_8));

        for (String id : List.of(notJson, wrongShape)) {
            MessageMetadata bounced = awaitBounced(spool, id);
            assertThat(bounced.attempts()).isEqualTo(1);
            assertThat(bounced.lastError()).contains("Payload of type 'order-placed' cannot be read as")
                    .contains(OrderPlaced.class.getTypeName());
        }
        assertThat(spool.getMessage(wrongShape).metadata().lastError()).contains("twelve");
        assertThat(listener.received).isEmpty();
    }

    @Test
    void theListenerOfAMessagesDestinationIsChosenBeforeTheOneForAnyDestination() {
        List<String> calls = new CopyOnWriteArrayList<>();
        Object listeners = new Object() {
            @RetrySpoolListener(destination = "eu.example")
            public void europe(OrderPlaced order) {
                calls.add("eu:" + order.orderId());
            }

            @RetrySpoolListener
            public void anywhere(OrderPlaced order) {
                calls.add("any:" + order.orderId());
            }
        };
        RetrySpool spool = spool(builder -> builder.listener(listeners));
        spool.start();

        String eu = spool.enqueue(EnqueueRequest.builder().payload(order("E-1")).destination("eu.example").build());
        String us = spool.enqueue(EnqueueRequest.builder().payload(order("U-1")).destination("us.example").build());
        String none = spool.send(order("N-1"));

        List.of(eu, us, none).forEach(id -> awaitState(spool, id, QueueState.ARCHIVED));
        assertThat(calls).containsExactlyInAnyOrder("eu:E-1", "any:U-1", "any:N-1");
    }

    @Test
    void aDestinationThatNoListenerOfItsTypeTakesBouncesWithAnErrorSayingSo() {
        Object listener = new Object() {
            @RetrySpoolListener(destination = "eu.example")
            public void europe(OrderPlaced order) {
            }
        };
        RetrySpool spool = spool(builder -> builder.listener(listener));
        spool.start();

        String id = spool.enqueue(EnqueueRequest.builder().payload(order("U-2")).destination("us.example").build());

        MessageMetadata bounced = awaitBounced(spool, id);
        assertThat(bounced.lastError()).contains("No @RetrySpoolListener for type 'order-placed' takes destination"
                + " 'us.example'");
    }

    @Test
    void aBounceListenerReceivesTheBouncedPayloadOfItsType() {
        List<String> bounced = new CopyOnWriteArrayList<>();
        Object listeners = new Object() {
            @RetrySpoolListener
            public void deliver(OrderPlaced order) {
                throw new PermanentException("no such shop");
            }

            @RetrySpoolListener(bounce = true)
            public void bounced(OrderPlaced order, MessageContext context) {
                bounced.add(order.orderId() + " after " + context.attempt());
            }
        };
        RetrySpool spool = spool(builder -> builder.listener(listeners));
        spool.start();

        String id = spool.send(order("D-1"));

        assertThat(awaitState(spool, id, QueueState.ARCHIVED).archivedAs()).isEqualTo(ArchiveReason.BOUNCED);
        assertThat(bounced).containsExactly("D-1 after 1");
    }

    @Test
    void typedMessagesWithoutAListenerAndUntypedOnesStillReachTheHandlers() {
        List<String> raw = new CopyOnWriteArrayList<>();
        OrderListener listener = new OrderListener();
        MessageHandler handler = (context, message, body) -> raw.add(message.metadata().headers()
                .getOrDefault("x-retryspool-type", "untyped"));
        RetrySpool spool = spool(builder -> builder.listener(listener).handler(handler));
        spool.start();

        List<String> ids = List.of(spool.send(new Reminder("no listener")), spool.send(order("T-1")),
                spool.enqueue(Map.of(), new byte[] {1, 2}));

        ids.forEach(id -> awaitState(spool, id, QueueState.ARCHIVED));
        assertThat(raw).containsExactlyInAnyOrder("Reminder", "untyped");
        assertThat(listener.received).containsExactly(order("T-1"));
    }

    @Test
    void listenersRegisteredAfterTheSpoolWasBuiltAreCalledBounceListenersIncluded() {
        io.retryspool.handler.RetrySpoolListeners registry = new io.retryspool.handler.RetrySpoolListeners();
        List<String> bounced = new CopyOnWriteArrayList<>();
        RetrySpool spool = spool(builder -> builder.listeners(registry));
        spool.start();
        OrderListener listener = new OrderListener();
        registry.add(listener);
        registry.add(new Object() {
            @RetrySpoolListener
            public void on(Reminder reminder) {
                throw new PermanentException("too late");
            }

            @RetrySpoolListener(bounce = true)
            public void bounced(Reminder reminder) {
                bounced.add(reminder.text());
            }
        });

        String delivered = spool.send(order("L-1"));
        String bounce = spool.send(new Reminder("late"));

        awaitState(spool, delivered, QueueState.ARCHIVED);
        awaitState(spool, bounce, QueueState.ARCHIVED);
        assertThat(listener.received).containsExactly(order("L-1"));
        assertThat(bounced).containsExactly("late");
    }

    @Test
    void aPayloadThatCannotBeWrittenAsJsonIsRefusedAndNothingIsStored() {
        RetrySpool spool = spool(builder -> { });
        Object unwritable = new Unwritable();

        assertThatThrownBy(() -> spool.send(unwritable))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("payload: cannot be written as JSON");
        assertThat(spool.counts().values()).allMatch(count -> count == 0);
    }

    /** A class Jackson cannot write: its one property's getter fails. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("value is not ready");
        }
    }
}
