/**
 * Actuator health for RetrySpool: an indicator, contributed as {@code retryspool}, that reports whether the
 * store answers and the workers run, with the message counts, and its auto-configuration.
 */
package io.retryspool.boot.autoconfigure.health;
