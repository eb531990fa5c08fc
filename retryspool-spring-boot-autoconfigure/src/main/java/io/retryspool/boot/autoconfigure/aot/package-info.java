/**
 * Ahead-of-time processing for native images: the hints that {@code @RetrySpoolListener} methods and their payload
 * types need at run time.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
