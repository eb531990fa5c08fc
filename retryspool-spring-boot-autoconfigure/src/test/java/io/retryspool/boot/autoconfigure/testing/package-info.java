/**
 * Test helpers shared by the auto-configuration tests: proxies that watch or break single spool and store calls.
 */
package io.retryspool.boot.autoconfigure.testing;
