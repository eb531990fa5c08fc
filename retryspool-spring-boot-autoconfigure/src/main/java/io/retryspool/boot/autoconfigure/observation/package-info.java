/**
 * Auto-configuration of the spool's Micrometer Observation: the application's {@code ObservationRegistry} observes
 * enqueues and deliveries, so that with Boot's tracing auto-configuration traces follow messages.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
