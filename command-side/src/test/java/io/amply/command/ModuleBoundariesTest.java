package io.amply.command;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ModuleBoundariesTest {

    private final JavaClasses commandSide = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.amply.command");

    @Test
    void theCommandSideNeverReachesIntoTheQuerySide() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.amply.query..").check(commandSide);
    }

    @Test
    void aggregatesDoNotTouchTheWebLayerOrTheDatabase() {
        noClasses().that().haveSimpleNameNotEndingWith("Controller").and().haveSimpleNameNotEndingWith("Lookups")
                .and().resideInAnyPackage("io.amply.command.organisation..", "io.amply.command.donation..",
                        "io.amply.command.project..", "io.amply.command.campaign..", "io.amply.command.business..")
                .and().haveSimpleNameNotEndingWith("Request")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "jakarta.servlet..")
                .check(commandSide);
    }
}
