package io.retryspool.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every package of the engine's main code is {@link NullMarked}: unannotated types are non-null, null is spelled out. */
class NullMarkingTests {

    @Test
    void everyPackageOfTheEngineIsNullMarked() {
        List<String> packages = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.retryspool")
                .stream().map(JavaClass::getPackageName).distinct().sorted().toList();

        assertThat(packages).contains("io.retryspool", "io.retryspool.internal", "io.retryspool.storage.jdbc");
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
