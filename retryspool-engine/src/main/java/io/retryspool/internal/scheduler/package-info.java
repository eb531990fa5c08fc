/**
 * The scheduler: the claim loop, the bounded worker pool, lease renewal and graceful stop. Not API.
 */
@NullMarked
package io.retryspool.internal.scheduler;

import org.jspecify.annotations.NullMarked;
