/**
 * The engine's internals: the spool implementation, settings and argument checks. Not API; may change
 * in any release.
 */
@NullMarked
package io.retryspool.internal;

import org.jspecify.annotations.NullMarked;
