/**
 * The operator's actions shared by the {@code retryspool} Actuator endpoint and the dashboard: single-message moves
 * ({@link io.retryspool.boot.autoconfigure.operations.OperatorAction}) and actions on every message matching a filter
 * ({@link io.retryspool.boot.autoconfigure.operations.BulkAction}, {@link io.retryspool.boot.autoconfigure.operations.BulkFilter}),
 * and where a suspended destination stands ({@link io.retryspool.boot.autoconfigure.operations.DestinationState}).
 */
@NullMarked
package io.retryspool.boot.autoconfigure.operations;

import org.jspecify.annotations.NullMarked;
