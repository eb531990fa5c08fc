package io.retryspool.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer: db-scheduler, a well-regarded JDBC task scheduler, measured on the same PostgreSQL in the same run,
 * each measurement in a schema of its own. Its executions carry the same 1 KiB payload as RetrySpool's messages
 * (a {@code byte[]} task data, Java-serialised by db-scheduler's default serializer).
 */
final class DbSchedulerPeer {

    /** The db-scheduler version on the classpath, as its jar says. */
    static final String VERSION = version();

    /** Worker threads for the drain, as for RetrySpool. */
    static final int DRAIN_THREADS = 10;

    /** db-scheduler's lock-and-fetch limits: fetch when below 0.5 x threads queued, up to 1.0 x threads. */
    static final double LOWER_LIMIT_FRACTION = 0.5;
    static final double UPPER_LIMIT_FRACTION = 1.0;

    /**
     * db-scheduler's table for PostgreSQL, as its documentation gives it ({@code postgresql_tables.sql}):
     * the task table, its primary key, and the indexes on execution time, heartbeat and priority.
     */
    static final List<String> POSTGRES_DDL = List.of("""
            CREATE TABLE scheduled_tasks (
                task_name            TEXT                     NOT NULL,
                task_instance        TEXT                     NOT NULL,
                task_data            BYTEA,
                execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
                picked               BOOLEAN                  NOT NULL,
                picked_by            TEXT,
                last_success         TIMESTAMP WITH TIME ZONE,
                last_failure         TIMESTAMP WITH TIME ZONE,
                consecutive_failures INT,
                last_heartbeat       TIMESTAMP WITH TIME ZONE,
                version              BIGINT                   NOT NULL,
                priority             SMALLINT,
                PRIMARY KEY (task_name, task_instance)
            )""",
            "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
            "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
            "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");

    private static final String TASK_NAME = "benchmark-task";
    private static final int PREFILL_BATCH = 1000;
    private static final Duration SHUTDOWN_MAX_WAIT = Duration.ofSeconds(5);

    private DbSchedulerPeer() {
    }

    /**
     * Times {@code SchedulerClient.schedule(task.instance(id, data), Instant.now())} from several threads, after an
     * untimed warm-up. db-scheduler 16 deprecates both {@code schedule} overloads in favour of
     * {@code scheduleIfNotExists} and the {@code ScheduleOptions} form; this is still its plain "insert one
     * execution" call, the one applications use, so it is the one measured.
     */
    static Producers.Outcome enqueue(BenchmarkContext context, int threads) throws Exception {
        return enqueue(context, threads, Backend.POSTGRES_POOL_SIZE);
    }

    /** As {@link #enqueue(BenchmarkContext, int)}, with a pool of {@code poolSize} connections. */
    @SuppressWarnings("deprecation")
    static Producers.Outcome enqueue(BenchmarkContext context, int threads, int poolSize) throws Exception {
        Sizes sizes = context.sizes();
        byte[] data = SpoolThroughput.body();
        try (PostgresSchemas.Schema schema = context.newSchema()) {
            DataSource dataSource = schema.pool("db-scheduler", poolSize);
            createTable(dataSource);
            OneTimeTask<byte[]> task = task(new LongAdder());
            SchedulerClient client = SchedulerClient.Builder.create(dataSource, task).build();
            Producers.run("warmup", threads, sizes.warmupMessages(), sizes.enqueueTimeLimit(),
                    index -> client.schedule(task.instance("w" + index, data), Instant.now()));
            return Producers.run("schedule", threads, sizes.messages(), sizes.enqueueTimeLimit(),
                    index -> client.schedule(task.instance("m" + index, data), Instant.now()));
        }
    }

    /**
     * Drains {@link Sizes#warmupMessages()} executions untimed with a first scheduler (as RetrySpool's drain
     * warms up), then schedules {@link Sizes#messages()} executions (untimed, with {@code scheduleBatch}), starts
     * a second scheduler with lock-and-fetch polling and times until the table is empty.
     */
    static Producers.Outcome drain(BenchmarkContext context) throws Exception {
        Sizes sizes = context.sizes();
        byte[] data = SpoolThroughput.body();
        LongAdder executed = new LongAdder();
        try (PostgresSchemas.Schema schema = context.newSchema()) {
            DataSource dataSource = schema.pool("db-scheduler", Backend.POSTGRES_POOL_SIZE);
            createTable(dataSource);
            OneTimeTask<byte[]> task = task(executed);
            SchedulerClient client = SchedulerClient.Builder.create(dataSource, task).build();
            if (sizes.warmupMessages() > 0) {
                Producers.Outcome warmup = timedDrain(context, dataSource, client, task, "w", sizes.warmupMessages(),
                        data, executed);
                if (warmup.timedOut()) {
                    return warmup;
                }
                context.log("warm-up: %,d executions drained (untimed)", sizes.warmupMessages());
                executed.reset();
            }
            return timedDrain(context, dataSource, client, task, "m", sizes.messages(), data, executed);
        }
    }

    private static Producers.Outcome timedDrain(BenchmarkContext context, DataSource dataSource, SchedulerClient client,
                                                OneTimeTask<byte[]> task, String idPrefix, int total, byte[] data,
                                                LongAdder executed) throws Exception {
        long prefillStart = System.nanoTime();
        Instant due = Instant.now();
        for (int filled = 0; filled < total; filled += PREFILL_BATCH) {
            List<TaskInstance<?>> batch = new ArrayList<>(PREFILL_BATCH);
            for (int i = filled; i < Math.min(total, filled + PREFILL_BATCH); i++) {
                batch.add(task.instance(idPrefix + i, data));
            }
            client.scheduleBatch(batch, due);
        }
        context.log("scheduled %,d executions in %.1f s (untimed)", total, (System.nanoTime() - prefillStart) / 1e9);
        Scheduler scheduler = Scheduler.create(dataSource, task)
                .threads(DRAIN_THREADS)
                .pollUsingLockAndFetch(LOWER_LIMIT_FRACTION, UPPER_LIMIT_FRACTION)
                .pollingInterval(Duration.ofSeconds(1))
                .shutdownMaxWait(SHUTDOWN_MAX_WAIT)
                .build();
        long start = System.nanoTime();
        long deadline = start + context.sizes().drainTimeLimit().toNanos();
        scheduler.start();
        try {
            while (executed.sum() < total && System.nanoTime() - deadline < 0) {
                Thread.sleep(2);
            }
            boolean empty = false;
            while (!empty && System.nanoTime() - deadline < 0) {
                empty = remaining(dataSource) == 0;
                if (!empty) {
                    Thread.sleep(5);
                }
            }
            long elapsed = System.nanoTime() - start;
            if (!empty) {
                context.log("db-scheduler drain stopped at the time limit: executed %,d of %,d", executed.sum(), total);
            }
            return new Producers.Outcome(Math.min(executed.sum(), total), elapsed, !empty);
        } finally {
            scheduler.stop();
        }
    }

    /** Creates db-scheduler's table in the DataSource's schema. */
    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String ddl : POSTGRES_DDL) {
                statement.execute(ddl);
            }
        }
    }

    private static OneTimeTask<byte[]> task(LongAdder executed) {
        return Tasks.oneTime(TASK_NAME, byte[].class).execute((instance, executionContext) -> executed.increment());
    }

    private static long remaining(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String version() {
        try (InputStream in = Scheduler.class.getResourceAsStream(
                "/META-INF/maven/com.github.kagkarlsson/db-scheduler/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
