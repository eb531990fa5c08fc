/**
 * Micrometer Observation of the spool: the contexts of the {@code retryspool.enqueue} and
 * {@code retryspool.delivery} observations, which carry the trace context through the message's headers
 * ({@code traceparent}, {@code tracestate}), and the conventions that name them and their key values. Register an
 * {@link io.retryspool.observation.EnqueueObservationConvention} or
 * {@link io.retryspool.observation.DeliveryObservationConvention} of your own on the
 * {@link io.micrometer.observation.ObservationRegistry} (in Spring Boot: declare it as a bean) to change them.
 */
@NullMarked
package io.retryspool.observation;

import org.jspecify.annotations.NullMarked;
