/**
 * Actuator health for RetrySpool: an indicator, contributed as {@code retryspool}, that reports whether the
 * store answers and the workers run, with the message counts, and its auto-configuration.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
