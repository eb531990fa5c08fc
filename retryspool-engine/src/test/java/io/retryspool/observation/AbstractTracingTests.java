package io.retryspool.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.test.simple.SpansAssert;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.retryspool.EnqueueRequest;
import io.retryspool.EnqueueTransaction;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.RetrySpool;
import io.retryspool.checks.InputLimits;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.SpoolStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces follow messages: with Micrometer Tracing (OpenTelemetry, W3C propagation) an enqueue is a span of the
 * caller's trace, its trace context is stored in the message's {@code traceparent} header, and every handler run,
 * retries and runs on another spool instance included, is a span of that trace, a child of the enqueue's span.
 */
abstract class AbstractTracingTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ENQUEUE = "retryspool enqueue";
    private static final String DELIVERY = "retryspool delivery";

    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * Opens the store of a spool instance: each call a store over the same messages (the same database).
     *
     * @return the store
     */
    protected abstract SpoolStore openStore();

    /**
     * Closes a resource after the test, after the spools opened since.
     *
     * @param resource the resource
     * @param <T> its type
     * @return the resource
     */
    protected <T extends AutoCloseable> T closedAfterTest(T resource) {
        resources.add(resource);
        return resource;
    }

    @AfterEach
    void closeSpoolsAndTracers() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void anEnqueueAndItsDeliveryAreSpansOfTheCallersTrace() {
        TestTracing tracing = tracing();
        RecordingHandler handler = new RecordingHandler(tracing, 0);
        RetrySpool spool = started(spool("instance-a", tracing.registry(), handler));

        String id = Observation.createNotStarted("caller", tracing.registry())
                .observe(() -> spool.enqueue(Map.of("kind", "greeting"), bytes("hello")));

        await().atMost(WAIT).until(() -> tracing.spans(DELIVERY).size() == 1);
        SpanData caller = tracing.spans("caller").get(0);
        SpanData enqueue = tracing.spans(ENQUEUE).get(0);
        SpanData delivery = tracing.spans(DELIVERY).get(0);
        assertThat(enqueue.getTraceId()).isEqualTo(caller.getTraceId());
        assertThat(enqueue.getParentSpanId()).isEqualTo(caller.getSpanId());
        assertThat(delivery.getTraceId()).as("the delivery continues the enqueue's trace").isEqualTo(caller.getTraceId());
        assertThat(delivery.getParentSpanId()).isEqualTo(enqueue.getSpanId());
        assertThat(attributes(enqueue)).containsEntry("retryspool.message.id", id);
        assertThat(attributes(delivery)).containsEntry("retryspool.message.id", id)
                .containsEntry("retryspool.handler", "recorder").containsEntry("retryspool.bounce", "false")
                .containsEntry("retryspool.outcome", "delivered").containsEntry("retryspool.attempt", "1");
        assertThat(handler.storedHeaders.get(id)).as("the headers stored with the message")
                .containsEntry("kind", "greeting");
        assertThat(handler.storedHeaders.get(id).get("traceparent")).startsWith(traceparentPrefix(enqueue));
        assertThat(handler.currentSpans.get(id)).as("the span current while the handler runs")
                .isEqualTo(delivery.getSpanId());
    }

    @Test
    void eachAttemptOfARetriedMessageIsASpanOfTheEnqueuesTrace() {
        TestTracing tracing = tracing();
        RetrySpool spool = started(spool("instance-a", tracing.registry(), new RecordingHandler(tracing, 1)));

        String id = spool.enqueue(Map.of(), bytes("try twice"));

        await().atMost(WAIT).until(() -> tracing.spans(DELIVERY).size() == 2);
        System.out.println("Spans of a message delivered at its second attempt:" + System.lineSeparator()
                + tracing.listing());
        SpansAssert.assertThat(tracing.finishedSpans()).haveSameTraceId()
                .hasNumberOfSpansWithNameEqualTo(ENQUEUE, 1).hasNumberOfSpansWithNameEqualTo(DELIVERY, 2);
        SpanData enqueue = tracing.spans(ENQUEUE).get(0);
        List<SpanData> attempts = tracing.spans(DELIVERY);
        assertThat(attempts).allSatisfy(attempt -> {
            assertThat(attempt.getTraceId()).isEqualTo(enqueue.getTraceId());
            assertThat(attempt.getParentSpanId()).isEqualTo(enqueue.getSpanId());
            assertThat(attributes(attempt)).containsEntry("retryspool.message.id", id);
        });
        assertThat(attempts.get(0).getSpanId()).isNotEqualTo(attempts.get(1).getSpanId());
        assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attributes(attempts.get(0))).containsEntry("retryspool.outcome", "retry")
                .containsEntry("retryspool.attempt", "1");
        assertThat(attempts.get(1).getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        assertThat(attributes(attempts.get(1))).containsEntry("retryspool.outcome", "delivered")
                .containsEntry("retryspool.attempt", "2");
    }

    @Test
    void anotherInstanceDeliveringTheMessageContinuesTheTraceOfItsEnqueue() {
        TestTracing sender = tracing();
        TestTracing receiver = tracing();
        RetrySpool enqueuing = spool("instance-a", sender.registry(), new RecordingHandler(sender, 0));
        RecordingHandler handler = new RecordingHandler(receiver, 1);
        String id = Observation.createNotStarted("caller", sender.registry())
                .observe(() -> enqueuing.enqueue(Map.of(), bytes("from a to b")));

        started(spool("instance-b", receiver.registry(), handler));

        await().atMost(WAIT).until(() -> receiver.spans(DELIVERY).size() == 2);
        System.out.println("Spans of instance-a, which enqueued the message:" + System.lineSeparator()
                + sender.listing() + System.lineSeparator()
                + "Spans of instance-b, which delivered it at its second attempt:" + System.lineSeparator()
                + receiver.listing());
        List<FinishedSpan> bothInstances = new ArrayList<>(sender.finishedSpans());
        bothInstances.addAll(receiver.finishedSpans());
        SpansAssert.assertThat(bothInstances).haveSameTraceId().hasASpanWithName("caller")
                .hasNumberOfSpansWithNameEqualTo(ENQUEUE, 1).hasNumberOfSpansWithNameEqualTo(DELIVERY, 2);
        SpanData enqueue = sender.spans(ENQUEUE).get(0);
        assertThat(sender.spans(DELIVERY)).as("instance-a never ran a handler").isEmpty();
        assertThat(receiver.spans(DELIVERY)).allSatisfy(attempt -> {
            assertThat(attempt.getTraceId()).isEqualTo(sender.spans("caller").get(0).getTraceId());
            assertThat(attempt.getParentSpanId()).isEqualTo(enqueue.getSpanId());
            assertThat(attributes(attempt)).containsEntry("retryspool.message.id", id);
        });
    }

    @Test
    void eachMessageOfEnqueueAllIsAnEnqueueSpanOfTheCallersTrace() {
        TestTracing tracing = tracing();
        RecordingHandler handler = new RecordingHandler(tracing, 0);
        RetrySpool spool = started(spool("instance-a", tracing.registry(), handler));

        List<String> ids = Observation.createNotStarted("caller", tracing.registry()).observe(() -> spool.enqueueAll(
                List.of(EnqueueRequest.builder().body(bytes("one")).build(),
                        EnqueueRequest.builder().body(bytes("two")).priority(90).build())));

        await().atMost(WAIT).until(() -> tracing.spans(DELIVERY).size() == 2);
        SpanData caller = tracing.spans("caller").get(0);
        List<SpanData> enqueues = tracing.spans(ENQUEUE);
        assertThat(enqueues).hasSize(2).allSatisfy(enqueue -> {
            assertThat(enqueue.getTraceId()).isEqualTo(caller.getTraceId());
            assertThat(enqueue.getParentSpanId()).isEqualTo(caller.getSpanId());
        });
        for (String id : ids) {
            SpanData enqueue = enqueues.stream()
                    .filter(span -> id.equals(attributes(span).get("retryspool.message.id"))).findFirst().orElseThrow();
            SpanData delivery = tracing.spans(DELIVERY).stream()
                    .filter(span -> id.equals(attributes(span).get("retryspool.message.id"))).findFirst().orElseThrow();
            assertThat(delivery.getParentSpanId()).isEqualTo(enqueue.getSpanId());
            assertThat(handler.storedHeaders.get(id).get("traceparent")).startsWith(traceparentPrefix(enqueue));
        }
    }

    @Test
    void aStreamingEnqueueIsASpanWhenItCommitsAndItsDeliveryContinuesIt() throws Exception {
        TestTracing tracing = tracing();
        RecordingHandler handler = new RecordingHandler(tracing, 0);
        RetrySpool spool = started(spool("instance-a", tracing.registry(), handler));

        String id;
        try (EnqueueTransaction transaction = spool.beginEnqueue()) {
            transaction.write(bytes("streamed"));
            id = transaction.setHeader("kind", "stream").commit();
        }

        await().atMost(WAIT).until(() -> tracing.spans(DELIVERY).size() == 1);
        SpanData enqueue = tracing.spans(ENQUEUE).get(0);
        assertThat(attributes(enqueue)).containsEntry("retryspool.message.id", id);
        assertThat(handler.storedHeaders.get(id)).containsEntry("kind", "stream");
        assertThat(handler.storedHeaders.get(id).get("traceparent")).startsWith(traceparentPrefix(enqueue));
        assertThat(tracing.spans(DELIVERY).get(0).getParentSpanId()).isEqualTo(enqueue.getSpanId());
    }

    @Test
    void aDeliveryThatFailsForGoodAndTheBounceHandlersRunAreSpansOfTheEnqueuesTrace() {
        TestTracing tracing = tracing();
        MessageHandler refusing = new RecordingHandler(tracing, 0) {
            @Override
            public void handle(MessageContext context, Message message, MessageBody body) {
                throw new PermanentException("refused for good");
            }
        };
        RetrySpool spool = RetrySpool.builder()
                .store(openStore())
                .observationRegistry(tracing.registry())
                .pollInterval(Duration.ofMillis(20))
                .handler(refusing)
                .bounceHandler(new RecordingHandler(tracing, 0))
                .build();
        resources.add(spool);
        spool.start();

        String id = spool.enqueue(Map.of(), bytes("refused"));

        await().atMost(WAIT).until(() -> tracing.spans("retryspool bounce").size() == 1);
        SpanData enqueue = tracing.spans(ENQUEUE).get(0);
        SpanData delivery = tracing.spans(DELIVERY).get(0);
        SpanData bounce = tracing.spans("retryspool bounce").get(0);
        assertThat(List.of(delivery, bounce)).allSatisfy(span -> {
            assertThat(span.getTraceId()).isEqualTo(enqueue.getTraceId());
            assertThat(span.getParentSpanId()).isEqualTo(enqueue.getSpanId());
            assertThat(attributes(span)).containsEntry("retryspool.message.id", id);
        });
        assertThat(delivery.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attributes(delivery)).containsEntry("retryspool.outcome", "bounce")
                .containsEntry("retryspool.bounce", "false");
        assertThat(attributes(bounce)).containsEntry("retryspool.outcome", "delivered")
                .containsEntry("retryspool.bounce", "true");
    }

    @Test
    void aTraceparentTheCallerSetIsReplacedByTheEnqueuesOwn() {
        TestTracing tracing = tracing();
        RecordingHandler handler = new RecordingHandler(tracing, 0);
        RetrySpool spool = started(spool("instance-a", tracing.registry(), handler));
        String stale = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        String id = spool.enqueue(Map.of("traceparent", stale), bytes("hello"));

        await().atMost(WAIT).until(() -> tracing.spans(DELIVERY).size() == 1);
        SpanData enqueue = tracing.spans(ENQUEUE).get(0);
        assertThat(handler.storedHeaders.get(id).get("traceparent")).startsWith(traceparentPrefix(enqueue));
        assertThat(tracing.spans(DELIVERY).get(0).getTraceId()).isEqualTo(enqueue.getTraceId());
    }

    @Test
    void aMessageWhoseHeadersLeaveNoRoomForTheTraceContextIsStoredWithoutIt() {
        TestTracing tracing = tracing();
        RecordingHandler handler = new RecordingHandler(tracing, 0);
        RetrySpool spool = started(spool("instance-a", tracing.registry(), handler));
        Map<String, String> full = Map.of("big", "x".repeat(InputLimits.MAX_HEADERS_BYTES - "big".length() - 10));

        String id = spool.enqueue(full, bytes("hello"));

        await().atMost(WAIT).until(() -> tracing.spans(DELIVERY).size() == 1);
        assertThat(handler.storedHeaders.get(id)).isEqualTo(full);
        assertThat(tracing.spans(ENQUEUE)).singleElement()
                .satisfies(enqueue -> assertThat(attributes(enqueue)).containsEntry("retryspool.message.id", id));
    }

    @Test
    void withoutARegistryTheHeadersAreStoredAsGiven() {
        TestTracing tracing = tracing();
        RecordingHandler handler = new RecordingHandler(tracing, 0);
        RetrySpool spool = started(spool("instance-a", ObservationRegistry.NOOP, handler));
        Map<String, String> headers = Map.of("kind", "greeting",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        String id = spool.enqueue(headers, bytes("hello"));

        await().atMost(WAIT).until(() -> handler.storedHeaders.containsKey(id));
        assertThat(handler.storedHeaders.get(id)).isEqualTo(headers);
        assertThat(tracing.spans()).isEmpty();
    }

    private TestTracing tracing() {
        TestTracing tracing = new TestTracing();
        resources.add(tracing);
        return tracing;
    }

    private RetrySpool spool(String instance, ObservationRegistry registry, MessageHandler handler) {
        RetrySpool spool = RetrySpool.builder()
                .store(openStore())
                .instanceId(instance)
                .observationRegistry(registry)
                .pollInterval(Duration.ofMillis(20))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(50)))
                .handler(handler)
                .build();
        resources.add(spool);
        return spool;
    }

    private static RetrySpool started(RetrySpool spool) {
        spool.start();
        return spool;
    }

    private static Map<String, String> attributes(SpanData span) {
        Map<String, String> attributes = new ConcurrentHashMap<>();
        span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
        return attributes;
    }

    /** A W3C {@code traceparent} of the span without its flags (sampled, and random trace id in newer versions). */
    private static String traceparentPrefix(SpanData span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Records each message's stored headers and the span current while it ran; fails the first {@code failures}
     * attempts of each message.
     */
    private static class RecordingHandler implements MessageHandler {
        private final TestTracing tracing;
        private final int failures;
        final Map<String, Map<String, String>> storedHeaders = new ConcurrentHashMap<>();
        final Map<String, String> currentSpans = new ConcurrentHashMap<>();

        RecordingHandler(TestTracing tracing, int failures) {
            this.tracing = tracing;
            this.failures = failures;
        }

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void handle(MessageContext context, Message message, MessageBody body) {
            Span current = tracing.tracer().currentSpan();
            if (current != null) {
                currentSpans.put(message.id(), current.context().spanId());
            }
            storedHeaders.put(message.id(), message.metadata().headers());
            if (context.attempt() <= failures) {
                throw new RetryableException("attempt " + context.attempt() + " fails on purpose");
            }
        }
    }
}
