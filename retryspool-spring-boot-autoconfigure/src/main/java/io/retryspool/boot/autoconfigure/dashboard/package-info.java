/**
 * The spool's web dashboard: its page and assets, the JSON API and live updates it reads and the operator actions it
 * sends, with its auto-configuration.
 */
@NullMarked
package io.retryspool.boot.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
