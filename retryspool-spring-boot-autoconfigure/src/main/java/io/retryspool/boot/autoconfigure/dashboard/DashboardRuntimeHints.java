package io.retryspool.boot.autoconfigure.dashboard;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Keeps the dashboard's page and assets, which {@link DashboardPages} reads from the classpath, in a native image.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
class DashboardRuntimeHints implements RuntimeHintsRegistrar {

    /** Where the page and its assets are on the classpath. */
    static final String ASSETS = "io/retryspool/boot/autoconfigure/dashboard/assets/";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern(ASSETS + "*");
    }
}
