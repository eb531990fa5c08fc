/**
 * The engine's internals: the spool implementation, settings and argument checks. Not API; may change
 * in any release.
 */
package io.retryspool.internal;
