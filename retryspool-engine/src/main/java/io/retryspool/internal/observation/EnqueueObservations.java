package io.retryspool.internal.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.retryspool.EnqueueRequest;
import io.retryspool.checks.InputLimits;
import io.retryspool.observation.DefaultEnqueueObservationConvention;
import io.retryspool.observation.EnqueueContext;
import io.retryspool.observation.EnqueueObservationConvention;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Wraps each enqueued message in a {@code retryspool.enqueue} observation. The observation starts before the
 * message is stored, on the caller's thread (so that a trace continues the caller's), with a copy of the message's
 * headers as its carrier; what its handlers propagate into the copy ({@code traceparent}, replacing one the caller
 * set) is stored with the message. A copy that would break the headers' size limit is dropped: the message is
 * stored with its own headers and the trace does not follow it. With {@link ObservationRegistry#NOOP} nothing is
 * copied or allocated: the enqueue goes straight to the store.
 */
public final class EnqueueObservations {

    private static final Logger log = LoggerFactory.getLogger(EnqueueObservations.class);
    private static final EnqueueObservationConvention DEFAULT_CONVENTION = new DefaultEnqueueObservationConvention();

    private final ObservationRegistry registry;
    private final Function<EnqueueRequest, String> storeOne;
    private final Function<List<EnqueueRequest>, List<String>> storeAll;

    /**
     * Creates the enqueue observations of a spool.
     *
     * @param registry the registry, {@link ObservationRegistry#NOOP} for none
     * @param storeOne stores one request and returns the message's id
     * @param storeAll stores requests together and returns their ids in order
     */
    public EnqueueObservations(ObservationRegistry registry, Function<EnqueueRequest, String> storeOne,
                               Function<List<EnqueueRequest>, List<String>> storeAll) {
        this.registry = registry;
        this.storeOne = storeOne;
        this.storeAll = storeAll;
    }

    /**
     * Stores one request, observed: the request itself, or a copy with the propagated headers.
     *
     * @param request the request
     * @return the message's id
     */
    public String enqueue(EnqueueRequest request) {
        if (registry.isNoop()) {
            return storeOne.apply(request);
        }
        return observe(request.headers(), request.destination(),
                headers -> storeOne.apply(withHeaders(request, headers)));
    }

    /**
     * Observes the enqueue of one message given by its headers.
     *
     * @param headers the message's headers
     * @param destination where the message goes, or null
     * @param store stores the message with the headers it is given and returns its id
     * @return the message's id
     */
    public String observe(Map<String, String> headers, @Nullable String destination, Function<Map<String, String>, String> store) {
        if (registry.isNoop()) {
            return store.apply(headers);
        }
        EnqueueContext context = new EnqueueContext(new LinkedHashMap<>(headers), destination);
        Observation observation = start(context);
        Observation.Scope scope = observation.openScope();
        try {
            String id = store.apply(propagated(headers, context));
            context.setMessageId(id);
            return id;
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            scope.close();
            observation.stop();
        }
    }

    /**
     * Stores requests together, observed: one observation for each message, all children of the caller's current
     * observation.
     *
     * @param requests the requests
     * @return the messages' ids in order
     */
    public List<String> enqueueAll(List<EnqueueRequest> requests) {
        if (registry.isNoop()) {
            return storeAll.apply(requests);
        }
        List<EnqueueContext> contexts = new ArrayList<>(requests.size());
        List<Observation> observations = new ArrayList<>(requests.size());
        List<EnqueueRequest> propagated = new ArrayList<>(requests.size());
        for (EnqueueRequest request : requests) {
            EnqueueContext context = new EnqueueContext(new LinkedHashMap<>(request.headers()), request.destination());
            contexts.add(context);
            observations.add(start(context));
            propagated.add(withHeaders(request, propagated(request.headers(), context)));
        }
        try {
            List<String> ids = storeAll.apply(propagated);
            for (int i = 0; i < ids.size(); i++) {
                contexts.get(i).setMessageId(ids.get(i));
            }
            return ids;
        } catch (RuntimeException | Error e) {
            observations.forEach(observation -> observation.error(e));
            throw e;
        } finally {
            observations.forEach(Observation::stop);
        }
    }

    private Observation start(EnqueueContext context) {
        return Observation.createNotStarted(null, DEFAULT_CONVENTION, () -> context, registry).start();
    }

    /** The headers to store: the carrier when the observation put anything into it and it keeps within the limit. */
    private static Map<String, String> propagated(Map<String, String> headers, EnqueueContext context) {
        Map<String, String> carrier = context.getCarrier();
        if (carrier == null || carrier.equals(headers)) {
            return headers;
        }
        InputLimits.LimitedHeaders limited = new InputLimits.LimitedHeaders("headers");
        try {
            carrier.forEach(limited::put);
        } catch (IllegalArgumentException e) {
            log.debug("The trace context does not fit into the headers of an enqueued message; it is stored without", e);
            return headers;
        }
        return limited.toMap();
    }

    /** The request with other headers; everything else as it was. */
    private static EnqueueRequest withHeaders(EnqueueRequest request, Map<String, String> headers) {
        if (headers == request.headers()) {
            return request;
        }
        return request.toBuilder().headers(headers).build();
    }
}
