/**
 * In-memory stores: complete implementations of the storage SPI that keep everything in this process,
 * for tests and for spools whose messages may be lost when the process ends.
 */
@NullMarked
package io.retryspool.storage.memory;

import org.jspecify.annotations.NullMarked;
