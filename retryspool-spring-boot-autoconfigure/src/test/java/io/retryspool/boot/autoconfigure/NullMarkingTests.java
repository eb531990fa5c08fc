package io.retryspool.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every package of the auto-configuration's main code is {@link NullMarked}: null is spelled out where allowed. */
class NullMarkingTests {

    @Test
    void everyPackageOfTheAutoConfigurationIsNullMarked() throws IOException, URISyntaxException {
        Path classes = Path.of(RetrySpoolAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> packages;
        try (Stream<Path> files = Files.walk(classes)) {
            packages = files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> classes.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), "."))
                    .distinct().sorted().toList();
        }

        assertThat(packages).contains("io.retryspool.boot.autoconfigure", "io.retryspool.boot.autoconfigure.dashboard");
        assertThat(packages).filteredOn(name -> !isNullMarked(name)).as("packages without @NullMarked").isEmpty();
    }

    private static boolean isNullMarked(String packageName) {
        try {
            return Class.forName(packageName + ".package-info").isAnnotationPresent(NullMarked.class);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
