/**
 * The Actuator endpoint {@code retryspool}: message counts, paged listings of a state's metadata and
 * headers, and operator actions (hold, release, requeue, bounce, delete), with its auto-configuration.
 */
package io.retryspool.boot.autoconfigure.endpoint;
