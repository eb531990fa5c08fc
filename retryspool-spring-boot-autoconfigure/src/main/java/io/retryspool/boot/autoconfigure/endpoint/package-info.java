/**
 * The Actuator endpoint {@code retryspool}: message counts, paged listings of a state's metadata and
 * headers, the suspended destinations, and operator actions (hold, release, requeue, bounce, delete, resume a
 * destination), with its auto-configuration.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
