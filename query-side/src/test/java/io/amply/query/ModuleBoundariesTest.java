package io.amply.query;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ModuleBoundariesTest {

    private final JavaClasses querySide = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.amply.query");

    @Test
    void theQuerySideNeverImportsTheCommandSide() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.amply.command..").check(querySide);
    }
}
