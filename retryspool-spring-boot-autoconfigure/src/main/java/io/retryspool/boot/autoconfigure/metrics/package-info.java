/**
 * Micrometer support for RetrySpool: a binder that publishes per-state message gauges, enqueue and outcome
 * counters, handler timers and the age of the oldest due message, and its auto-configuration.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
