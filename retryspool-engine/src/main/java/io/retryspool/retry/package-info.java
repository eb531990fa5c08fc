/**
 * Retry policies: when a failed delivery is tried again, and whether it is tried at all. The spool has
 * one default policy and any number of named ones that messages choose by name.
 */
@NullMarked
package io.retryspool.retry;

import org.jspecify.annotations.NullMarked;
