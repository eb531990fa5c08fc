package io.retryspool.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What scenarios share in one run: the sizes, fresh PostgreSQL schemas, a temporary directory for SQLite files
 * and filesystem bodies, and the console. Closing it drops the schemas and deletes the directory.
 */
final class BenchmarkContext implements AutoCloseable {

    /** The environment variable naming the second PostgreSQL cluster. */
    static final String SECOND_POSTGRES_URL_VARIABLE = "RETRYSPOOL_BENCH_SECOND_POSTGRES_URL";
    /** The second PostgreSQL cluster when the environment names none. */
    static final String DEFAULT_SECOND_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5433/postgres?user=postgres";

    private final Sizes sizes;
    private final PostgresSchemas postgres;
    private @Nullable PostgresSchemas secondPostgres;
    private final Path tempDirectory;
    private final PrintStream console;
    private final AtomicInteger names = new AtomicInteger();

    BenchmarkContext(Sizes sizes, String postgresUrl, PrintStream console) {
        this.sizes = sizes;
        this.postgres = new PostgresSchemas(postgresUrl);
        this.console = console;
        try {
            this.tempDirectory = Files.createTempDirectory("retryspool-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory", e);
        }
    }

    /** The counts and durations of this run. */
    Sizes sizes() {
        return sizes;
    }

    /** The run's PostgreSQL. */
    PostgresSchemas postgres() {
        return postgres;
    }

    /** Creates a fresh, empty schema, dropped when the run ends (or earlier when closed). */
    PostgresSchemas.Schema newSchema() {
        return postgres.create();
    }

    /**
     * Creates a fresh, empty schema on the second PostgreSQL cluster, for a spool over two shards: the URL in
     * {@value #SECOND_POSTGRES_URL_VARIABLE}, else {@value #DEFAULT_SECOND_POSTGRES_URL} (the cluster the engine's
     * shard tests create with {@code pg_createcluster}).
     */
    synchronized PostgresSchemas.Schema newSecondSchema() {
        if (secondPostgres == null) {
            String url = System.getenv(SECOND_POSTGRES_URL_VARIABLE);
            secondPostgres = new PostgresSchemas(url == null || url.isBlank() ? DEFAULT_SECOND_POSTGRES_URL : url.trim());
        }
        try {
            return secondPostgres.create();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no second PostgreSQL cluster to shard over (the engine's shard tests create "
                    + "one on 127.0.0.1:5433 with pg_createcluster; or set " + SECOND_POSTGRES_URL_VARIABLE + "): "
                    + e.getMessage(), e);
        }
    }

    /** Returns a path for a new SQLite database file in the run's temporary directory. */
    Path newSqliteFile(String purpose) {
        return tempDirectory.resolve(purpose + "-" + names.incrementAndGet() + ".db");
    }

    /** Creates a new directory in the run's temporary directory. */
    Path newDirectory(String purpose) {
        try {
            return Files.createDirectories(tempDirectory.resolve(purpose + "-" + names.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory in " + tempDirectory, e);
        }
    }

    /** Prints a progress line. */
    void log(String format, Object... args) {
        console.println("  " + String.format(Locale.ROOT, format, args));
        console.flush();
    }

    @Override
    public void close() {
        try {
            postgres.close();
            synchronized (this) {
                if (secondPostgres != null) {
                    secondPostgres.close();
                }
            }
        } finally {
            deleteRecursively(tempDirectory);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
