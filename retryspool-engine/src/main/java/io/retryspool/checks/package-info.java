/**
 * The rules that arguments and input obey, shared by the API's value types, the builder, the engine and the stores:
 * {@link io.retryspool.checks.InputLimits} states the limits on what enters the spool (header sizes, idempotency keys,
 * retry-policy names, times), {@link io.retryspool.checks.Arguments} the argument checks whose failures name the
 * argument. Applications may read the limits; the checks are not meant to be called by them.
 */
@NullMarked
package io.retryspool.checks;

import org.jspecify.annotations.NullMarked;
