/**
 * Assembles a {@link io.retryspool.RetrySpool} from its stores and settings: {@link io.retryspool.builder.RetrySpoolBuilder},
 * returned by {@link io.retryspool.RetrySpool#builder()}.
 */
@NullMarked
package io.retryspool.builder;

import org.jspecify.annotations.NullMarked;
