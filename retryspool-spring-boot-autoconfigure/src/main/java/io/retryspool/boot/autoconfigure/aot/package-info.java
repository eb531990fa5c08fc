/**
 * Ahead-of-time processing for native images: the hints that {@code @RetrySpoolListener} methods and their payload
 * types need at run time.
 */
package io.retryspool.boot.autoconfigure.aot;
