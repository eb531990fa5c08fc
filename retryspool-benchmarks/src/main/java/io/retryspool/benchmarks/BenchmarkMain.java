package io.retryspool.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs the benchmark: every scenario (or those named with {@code --only}) against fresh stores, prints one table,
 * and writes it as {@code results.md} and {@code results.json}. {@code --help} lists the options and scenarios.
 *
 * <p>Exit status: 0 when every scenario ran (whether or not its target was met), 1 when a scenario, or part of one,
 * failed with an error, 2 for a bad command line.
 */
public final class BenchmarkMain {

    /** The documented way to run the quick benchmark from a clone, from the repository root. */
    static final String MAVEN_COMMAND = "./mvnw -B -Pbenchmark -pl retryspool-benchmarks -am -DskipTests package";

    private BenchmarkMain() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args, System.getenv(), Path.of(""), Scenarios.descriptions().keySet());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(BenchmarkOptions.usage(Scenarios.descriptions()));
            return 2;
        }
        if (options.help()) {
            out.print(BenchmarkOptions.usage(Scenarios.descriptions()));
            return 0;
        }
        List<Scenario> selected = select(options.only());
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        out.printf(Locale.ROOT, "RetrySpool benchmark, %s mode, %d scenario(s); max heap %.0f MiB; output %s%n",
                options.mode().cliName(), selected.size(), Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0),
                options.outDirectory());

        List<ScenarioResult> results = new ArrayList<>();
        String postgresVersion;
        boolean failed = false;
        BenchmarkContext context = new BenchmarkContext(options.mode().sizes(), options.postgresUrl(), out);
        Thread cleanup = new Thread(context::close, "benchmark-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            String postgresProblem = null;
            try {
                postgresVersion = context.postgres().version();
            } catch (Exception e) {
                postgresProblem = "PostgreSQL unreachable at " + withoutQuery(options.postgresUrl()) + ": " + e.getMessage();
                postgresVersion = "unknown (" + postgresProblem + ")";
                if (selected.stream().anyMatch(Scenario::usesPostgres)) {
                    err.println("warning: " + postgresProblem + "; PostgreSQL scenarios are skipped");
                }
            }
            for (Scenario scenario : selected) {
                out.printf(Locale.ROOT, "%n== %s: %s%n", scenario.name(), scenario.description());
                if (scenario.usesPostgres() && postgresProblem != null) {
                    results.add(ScenarioResult.failed(scenario.name(), null, postgresProblem));
                    failed = true;
                    continue;
                }
                long scenarioStart = System.nanoTime();
                try {
                    List<ScenarioResult> rows = scenario.run(context);
                    results.addAll(rows);
                    if (rows.stream().anyMatch(ScenarioResult::isFailed)) {
                        failed = true;
                        err.println("scenario " + scenario.name() + ": part of it failed (see the rows marked FAILED)");
                    }
                } catch (Exception | OutOfMemoryError e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    failed = true;
                    err.println("scenario " + scenario.name() + " failed:");
                    e.printStackTrace(err);
                    results.add(ScenarioResult.failed(scenario.name(), null, e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
                out.printf(Locale.ROOT, "  (%.1f s)%n", (System.nanoTime() - scenarioStart) / 1e9);
            }
        } finally {
            context.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }

        ResultsReport report = new ResultsReport(started, Duration.ofNanos(System.nanoTime() - startNanos),
                options.mode(), command(args), MachineInfo.current(postgresVersion), results);
        out.println();
        out.print(report.consoleTable());
        try {
            Files.createDirectories(options.outDirectory());
            Path markdown = options.outDirectory().resolve("results.md");
            Path json = options.outDirectory().resolve("results.json");
            Files.writeString(markdown, report.markdown(), StandardCharsets.UTF_8);
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
            out.printf(Locale.ROOT, "%nWrote %s and %s (run took %.0f s)%n", markdown, json, report.runTime().toMillis() / 1000.0);
        } catch (IOException e) {
            err.println("error: could not write the results to " + options.outDirectory() + ": " + e.getMessage());
            return 1;
        }
        return failed ? 1 : 0;
    }

    private static List<Scenario> select(List<String> only) {
        List<Scenario> all = Scenarios.all();
        if (only.isEmpty()) {
            return all;
        }
        return only.stream().map(name -> all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow())
                .collect(Collectors.toList());
    }

    /** The command line that ran this, as a reader can repeat it. */
    static String command(List<String> args) {
        String joined = String.join(" ", args);
        if ("maven".equals(System.getProperty("benchmark.launcher"))) {
            return joined.isEmpty() || joined.equals("--quick") ? MAVEN_COMMAND
                    : MAVEN_COMMAND + " -Dbenchmark.args=\"" + joined + "\"";
        }
        String jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-X"))
                .collect(Collectors.joining(" "));
        return ("java " + jvmOptions + " -cp <classpath> " + BenchmarkMain.class.getName() + " " + joined)
                .replaceAll(" +", " ").trim();
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
