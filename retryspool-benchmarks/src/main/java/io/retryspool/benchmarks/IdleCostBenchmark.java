package io.retryspool.benchmarks;

import io.retryspool.RetrySpool;

import java.time.Duration;

/**
 * What an idle spool costs the database: a started spool on PostgreSQL with its default settings and nothing to
 * do, its DataSource wrapped in a {@link CountingDataSource}; after it has settled, the statements it executes in
 * a fixed time are counted.
 */
final class IdleCostBenchmark {

    private IdleCostBenchmark() {
    }

    /**
     * What the run counted.
     *
     * @param executions statements executed while counting
     * @param commits commits while counting
     * @param seconds how long it counted
     */
    record Outcome(long executions, long commits, double seconds) {

        double queriesPerSecond() {
            return executions / seconds;
        }
    }

    static Outcome run(BenchmarkContext context) throws Exception {
        Sizes sizes = context.sizes();
        CountingDataSource[] counting = new CountingDataSource[1];
        try (Backend.Store store = Backend.POSTGRES.open(context, dataSource -> {
                    counting[0] = new CountingDataSource(dataSource);
                    return counting[0].dataSource();
                });
                RetrySpool spool = store.builder()
                        .handler((messageContext, message, body) -> { })
                        .instanceId("bench-idle")
                        .shutdownGrace(Duration.ofSeconds(5))
                        .build()) {
            spool.start();
            Thread.sleep(sizes.idleSettle().toMillis());
            counting[0].reset();
            long start = System.nanoTime();
            Thread.sleep(sizes.idleDuration().toMillis());
            long executions = counting[0].executions();
            long commits = counting[0].commits();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Outcome(executions, commits, seconds);
        }
    }
}
