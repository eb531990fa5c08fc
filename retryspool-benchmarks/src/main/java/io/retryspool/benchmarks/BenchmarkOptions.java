package io.retryspool.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The command line of {@link BenchmarkMain}, parsed and checked.
 *
 * @param mode quick or full
 * @param postgresUrl the JDBC URL of the PostgreSQL to run on (each run creates and drops its own schemas)
 * @param only the scenarios to run, in the order given; empty for all
 * @param outDirectory where {@code results.md} and {@code results.json} go
 * @param help whether only the usage was asked for
 */
public record BenchmarkOptions(Mode mode, String postgresUrl, List<String> only, Path outDirectory, boolean help) {

    /** The environment variable that names the PostgreSQL when {@code --postgres-url} is not given. */
    public static final String POSTGRES_URL_VARIABLE = "RETRYSPOOL_TEST_POSTGRES_URL";

    /** The PostgreSQL used when neither the option nor the variable names one. */
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** Copies the scenario list. */
    public BenchmarkOptions {
        only = List.copyOf(only);
    }

    /**
     * Parses a command line.
     *
     * @param args the arguments; options take their value as the next argument or after {@code =}
     * @param environment the environment, for {@value #POSTGRES_URL_VARIABLE}
     * @param workingDirectory where relative paths start, and where the search for the repository root begins
     * @param scenarios the names {@code --only} accepts
     * @return the options
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    public static BenchmarkOptions parse(List<String> args, Map<String, String> environment, Path workingDirectory,
            Collection<String> scenarios) {
        Mode mode = null;
        String postgresUrl = null;
        Set<String> only = new LinkedHashSet<>();
        Path out = null;
        boolean help = false;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            switch (name) {
                case "--help", "-h" -> help = true;
                case "--quick", "--full" -> {
                    noValue(name, inlineValue);
                    Mode chosen = name.equals("--quick") ? Mode.QUICK : Mode.FULL;
                    if (mode != null && mode != chosen) {
                        throw new IllegalArgumentException("--quick and --full exclude each other; give one");
                    }
                    mode = chosen;
                }
                case "--postgres-url" -> postgresUrl = value(name, inlineValue, rest);
                case "--out" -> out = workingDirectory.resolve(value(name, inlineValue, rest)).normalize();
                case "--only" -> {
                    for (String scenario : value(name, inlineValue, rest).split(",")) {
                        String trimmed = scenario.trim();
                        if (trimmed.isEmpty()) {
                            continue;
                        }
                        if (!scenarios.contains(trimmed)) {
                            throw new IllegalArgumentException("--only: unknown scenario '" + trimmed + "'; known: "
                                    + String.join(", ", scenarios));
                        }
                        only.add(trimmed);
                    }
                    if (only.isEmpty()) {
                        throw new IllegalArgumentException("--only: name at least one scenario");
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (postgresUrl == null) {
            String fromEnvironment = environment.get(POSTGRES_URL_VARIABLE);
            postgresUrl = fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_POSTGRES_URL : fromEnvironment.trim();
        }
        if (!postgresUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--postgres-url: '" + postgresUrl + "' is not a jdbc:postgresql: URL");
        }
        if (out == null) {
            out = repositoryRoot(workingDirectory).resolve("docs").resolve("benchmarks");
        }
        return new BenchmarkOptions(mode == null ? Mode.QUICK : mode, postgresUrl, List.copyOf(only), out, help);
    }

    /**
     * Finds the repository root: the nearest directory, from {@code start} upwards, that holds {@code mvnw}.
     *
     * @param start where to start
     * @return the root, or {@code start} itself when no directory above holds {@code mvnw}
     */
    public static Path repositoryRoot(Path start) {
        Path absolute = start.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        return absolute;
    }

    /**
     * Returns the usage text.
     *
     * @param scenarios the scenarios with one line on what each measures
     * @return the usage
     */
    public static String usage(Map<String, String> scenarios) {
        StringBuilder out = new StringBuilder();
        out.append("""
                Usage: BenchmarkMain [--quick | --full] [--postgres-url URL] [--only SCENARIO,...] [--out DIR] [--help]

                Runs RetrySpool's benchmarks (and db-scheduler's, side by side on the same PostgreSQL) and writes
                results.md and results.json.

                  --quick              smaller counts, whole run under two minutes (default)
                  --full               the counts the targets are stated for (100,000 messages; several minutes)
                  --postgres-url URL   PostgreSQL to use; default: $%s, else
                       %s.
                                       Each run creates its own bench_<random> schemas and drops them at the end,
                                       but keeps the console scenario's filled bench_console_<archived>_<deferred>
                                       schema for the next run (drop it with DROP SCHEMA ... CASCADE).
                  --only A,B           run only these scenarios, in this order
                  --out DIR            where results.md and results.json go; default: docs/benchmarks under the
                                       repository root (the nearest directory above holding mvnw)
                  --help, -h           show this and exit

                Run it with a 256 MiB heap (-Xmx256m): the big-body scenario is about exactly that.

                Scenarios:
                """.formatted(POSTGRES_URL_VARIABLE, DEFAULT_POSTGRES_URL));
        int width = scenarios.keySet().stream().mapToInt(String::length).max().orElse(0);
        scenarios.forEach((name, description) ->
                out.append("  ").append(name).append(" ".repeat(width - name.length() + 2)).append(description).append('\n'));
        return out.toString();
    }

    private static void noValue(String name, @Nullable String inlineValue) {
        if (inlineValue != null) {
            throw new IllegalArgumentException(name + " takes no value");
        }
    }

    private static String value(String name, @Nullable String inlineValue, List<String> rest) {
        if (inlineValue != null) {
            if (inlineValue.isBlank()) {
                throw new IllegalArgumentException(name + ": needs a value");
            }
            return inlineValue;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(name + ": needs a value");
        }
        return rest.remove(0);
    }
}
