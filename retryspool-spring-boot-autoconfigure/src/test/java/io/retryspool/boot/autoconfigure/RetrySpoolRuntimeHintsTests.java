package io.retryspool.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints registered in {@code META-INF/spring/aot.factories} cover every migration the engine ships and
 * every dashboard asset: the files are found on the classpath, so one added without a hint fails here.
 */
class RetrySpoolRuntimeHintsTests {

    private final RuntimeHints hints = registeredHints();

    @Test
    void everyMigrationOfEveryDatabaseIsInTheHints() throws IOException {
        List<String> migrations = classpathFiles("db/retryspool/");
        assertThat(migrations).as("the engine's migrations on the classpath")
                .anyMatch(path -> path.startsWith("db/retryspool/postgresql/"))
                .anyMatch(path -> path.startsWith("db/retryspool/mariadb/"))
                .anyMatch(path -> path.startsWith("db/retryspool/sqlite/"));
        assertThat(migrations).allSatisfy(path -> assertThat(RuntimeHintsPredicates.resource().forResource(path))
                .as(path).accepts(hints));
    }

    @Test
    void everyDashboardAssetIsInTheHints() throws IOException {
        List<String> assets = classpathFiles("io/retryspool/boot/autoconfigure/dashboard/");
        assertThat(assets).as("the dashboard's assets on the classpath")
                .contains("io/retryspool/boot/autoconfigure/dashboard/assets/index.html",
                        "io/retryspool/boot/autoconfigure/dashboard/assets/app.js",
                        "io/retryspool/boot/autoconfigure/dashboard/assets/app.css");
        assertThat(assets).allSatisfy(path -> assertThat(RuntimeHintsPredicates.resource().forResource(path))
                .as(path).accepts(hints));
    }

    @Test
    void aFileOutsideTheHintedFoldersIsNotCovered() {
        assertThat(RuntimeHintsPredicates.resource().forResource("db/retryspool/h2/V1__create_tables.sql")).rejects(hints);
    }

    private static RuntimeHints registeredHints() {
        RuntimeHints hints = new RuntimeHints();
        AotServices.factories().load(RuntimeHintsRegistrar.class)
                .forEach(registrar -> registrar.registerHints(hints, RetrySpoolRuntimeHintsTests.class.getClassLoader()));
        return hints;
    }

    /** Every file (not class) under the folder, on every classpath root, as a path relative to that root. */
    private static List<String> classpathFiles(String folder) throws IOException {
        List<String> paths = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:" + folder + "**/*")) {
            String url = resource.getURL().toString();
            if (resource.isReadable() && !url.endsWith("/") && !url.endsWith(".class")) {
                paths.add(url.substring(url.lastIndexOf(folder)));
            }
        }
        return paths;
    }
}
