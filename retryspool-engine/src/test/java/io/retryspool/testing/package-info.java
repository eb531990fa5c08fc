/** Test support: finding the test databases. */
package io.retryspool.testing;
