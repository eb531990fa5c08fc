package io.retryspool.observation;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.exporter.FinishedSpan;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelFinishedSpan;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Micrometer Tracing over OpenTelemetry as one application instance has it: an observation registry with the
 * tracing handlers, the W3C trace-context propagator, and the finished spans kept in a list.
 */
final class TestTracing implements AutoCloseable {

    private final InMemorySpanExporter finished = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(finished)).build();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final Tracer tracer;

    TestTracing() {
        io.opentelemetry.api.trace.Tracer otel = provider.get("retryspool-tests");
        tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        OtelPropagator propagator = new OtelPropagator(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    ObservationRegistry registry() {
        return registry;
    }

    Tracer tracer() {
        return tracer;
    }

    /** The finished spans in the order they started. */
    List<SpanData> spans() {
        return finished.getFinishedSpanItems().stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    }

    /** The finished spans as Micrometer Tracing describes them, for its {@code SpansAssert}. */
    List<FinishedSpan> finishedSpans() {
        return spans().stream().map(OtelFinishedSpan::fromOtel).toList();
    }

    /** The finished spans of one name in the order they started. */
    List<SpanData> spans(String name) {
        return spans().stream().filter(span -> span.getName().equals(name)).toList();
    }

    /** One line for each finished span: name, trace id, span id, parent span id, status and attributes. */
    String listing() {
        return spans().stream().map(TestTracing::line).collect(Collectors.joining(System.lineSeparator()));
    }

    private static String line(SpanData span) {
        Map<String, Object> attributes = new TreeMap<>();
        span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), value));
        return String.format("%-19s trace=%s span=%s parent=%s%s %s", span.getName(), span.getTraceId(),
                span.getSpanId(), span.getParentSpanId(),
                span.getStatus().getStatusCode() == StatusCode.ERROR ? " ERROR" : "", attributes);
    }

    @Override
    public void close() {
        provider.close();
    }
}
