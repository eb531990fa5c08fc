/**
 * The storage SPI: {@link io.retryspool.storage.MetaStore} keeps metadata and hands out work under leases,
 * {@link io.retryspool.storage.DataStore} keeps bodies. Implementations live in sub-packages.
 */
@NullMarked
package io.retryspool.storage;

import org.jspecify.annotations.NullMarked;
