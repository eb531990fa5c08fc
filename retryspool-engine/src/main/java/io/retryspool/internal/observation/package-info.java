/**
 * Micrometer Observation of enqueues and handler runs: starts and stops the observations, carries the trace
 * context into the headers stored with a message and out of them at each attempt. Not API.
 */
@NullMarked
package io.retryspool.internal.observation;

import org.jspecify.annotations.NullMarked;
