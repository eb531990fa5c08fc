/**
 * The benchmark harness: {@link io.retryspool.benchmarks.BenchmarkMain} runs throughput, latency, large-body
 * and idle-cost scenarios against RetrySpool on PostgreSQL, SQLite and PostgreSQL with filesystem bodies, runs
 * the enqueue and drain scenarios on db-scheduler against the same database in the same run, times the operator
 * console's requests over HTTP against a Spring Boot application with the starter, and writes the results as a
 * console table, Markdown and JSON. Only the engine's public API and the console's HTTP API are used.
 */
@NullMarked
package io.retryspool.benchmarks;

import org.jspecify.annotations.NullMarked;
