package io.retryspool.benchmarks;

import java.util.List;

/**
 * One benchmark scenario: a name for {@code --only}, a line on what it measures, and the measurement, which
 * returns one or more rows of the results table.
 *
 * @param name the name, e.g. {@code pg-drain}
 * @param description what it measures, one line
 * @param usesPostgres whether it needs the run's PostgreSQL
 * @param body the measurement
 */
record Scenario(String name, String description, boolean usesPostgres, Body body) {

    /** The measurement of a scenario. */
    @FunctionalInterface
    interface Body {
        List<ScenarioResult> run(BenchmarkContext context) throws Exception;
    }

    List<ScenarioResult> run(BenchmarkContext context) throws Exception {
        return body.run(context);
    }
}
