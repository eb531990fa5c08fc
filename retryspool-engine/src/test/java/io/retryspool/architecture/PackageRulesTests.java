package io.retryspool.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package rules of the store boundary: who may depend on the engine's internals and on the stores. */
class PackageRulesTests {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.retryspool");

    @Test
    void thePublicApiImportsNeitherTheInternalsNorAStore() {
        noClasses().that().resideInAPackage("io.retryspool")
                .should().dependOnClassesThat().resideInAnyPackage("io.retryspool.internal..",
                        "io.retryspool.storage.jdbc..", "io.retryspool.storage.fs..", "io.retryspool.storage.memory..")
                .check(ENGINE);
    }

    @Test
    void theEngineKnowsStoresOnlyThroughTheStorageSpi() {
        noClasses().that().resideInAPackage("io.retryspool.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("io.retryspool.storage.jdbc..",
                        "io.retryspool.storage.fs..", "io.retryspool.storage.memory..", "io.retryspool.builder..")
                .check(ENGINE);
    }

    @Test
    void noStoreInspectsAnother() {
        noClasses().that().resideInAPackage("io.retryspool.storage.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.retryspool.storage.fs..",
                        "io.retryspool.storage.memory..")
                .check(ENGINE);
        noClasses().that().resideInAPackage("io.retryspool.storage.fs..")
                .should().dependOnClassesThat().resideInAnyPackage("io.retryspool.storage.jdbc..",
                        "io.retryspool.storage.memory..")
                .check(ENGINE);
        noClasses().that().resideInAPackage("io.retryspool.storage.memory..")
                .should().dependOnClassesThat().resideInAnyPackage("io.retryspool.storage.jdbc..",
                        "io.retryspool.storage.fs..")
                .check(ENGINE);
    }

    @Test
    void theStorageSpiAndTheStoresDoNotReachIntoTheEngine() {
        noClasses().that().resideInAPackage("io.retryspool.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("io.retryspool.internal..", "io.retryspool.builder..")
                .check(ENGINE);
    }
}
