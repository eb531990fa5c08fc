/**
 * The scheduler: the claim loop, the bounded worker pool, lease renewal and graceful stop. Not API.
 */
package io.retryspool.internal.scheduler;
