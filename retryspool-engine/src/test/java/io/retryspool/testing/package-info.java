/** Test support: finding the test databases, generated bodies, work on several threads at once. */
package io.retryspool.testing;
