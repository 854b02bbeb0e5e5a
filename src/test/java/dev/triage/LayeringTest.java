package dev.triage;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages follow the call order: api, cli -> service -> scoring -> batch -> pool -> model; nothing calls
 * back up, and config (the settings) depends on no domain package.
 */
@AnalyzeClasses(packages = "dev.triage", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule LAYERS_CALL_ONLY_DOWNWARDS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("api").definedBy("dev.triage.api..")
            .layer("cli").definedBy("dev.triage.cli..")
            .layer("service").definedBy("dev.triage.service..")
            .layer("scoring").definedBy("dev.triage.scoring..")
            .layer("batch").definedBy("dev.triage.batch..")
            .layer("pool").definedBy("dev.triage.pool..")
            .layer("model").definedBy("dev.triage.model..")
            .whereLayer("api").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("service").mayOnlyBeAccessedByLayers("api", "cli")
            .whereLayer("scoring").mayOnlyBeAccessedByLayers("service", "api", "cli")
            .whereLayer("batch").mayOnlyBeAccessedByLayers("scoring", "service", "api", "cli")
            .whereLayer("pool").mayOnlyBeAccessedByLayers("batch", "scoring", "service", "api", "cli")
            .whereLayer("model").mayOnlyBeAccessedByLayers("pool", "batch", "scoring", "service", "api", "cli");

    @ArchTest
    static final ArchRule CONFIG_IMPORTS_NO_DOMAIN_PACKAGE = noClasses().that().resideInAPackage("dev.triage.config..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.triage.api..", "dev.triage.cli..",
                    "dev.triage.service..", "dev.triage.scoring..", "dev.triage.batch..", "dev.triage.pool..",
                    "dev.triage.model..");

    @ArchTest
    static final ArchRule NO_CYCLES_BETWEEN_PACKAGES = slices().matching("dev.triage.(*)..").should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule EVERY_CLASS_IN_A_PACKAGE = noClasses().should().resideInAPackage("dev.triage");
}
