/**
 * RetrySpool's API: the {@link io.retryspool.RetrySpool} itself, its builder, the message value types and
 * the exception hierarchy rooted in {@link io.retryspool.RetrySpoolException}.
 */
@NullMarked
package io.retryspool;

import org.jspecify.annotations.NullMarked;
