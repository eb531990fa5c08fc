package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import java.util.List;

/**
 * Keeps RetrySpool's Flyway migrations of every database it supports ({@code db/retryspool/<database>/*.sql} in the
 * engine) in a native image. Registered in {@code META-INF/spring/aot.factories}.
 */
class RetrySpoolSchemaRuntimeHints implements RuntimeHintsRegistrar {

    /** The engine's migration folders, one per database it ships migrations for. */
    static final List<String> MIGRATION_FOLDERS = List.of("postgresql", "mariadb", "sqlite");

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        MIGRATION_FOLDERS.forEach(folder -> hints.resources().registerPattern("db/retryspool/" + folder + "/*.sql"));
    }
}
