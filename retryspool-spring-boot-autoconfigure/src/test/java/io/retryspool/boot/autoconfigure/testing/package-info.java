/**
 * Test helpers shared by the auto-configuration tests: proxies that watch or break single spool and store calls,
 * and destinations whose statuses a test sets.
 */
package io.retryspool.boot.autoconfigure.testing;
