package io.amply.events;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class SharedEventsArchitectureTest {

    private final JavaClasses messages = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.amply.events");

    @Test
    void messagesDependOnNeitherSpringNorJpa() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "javax.persistence..", "org.hibernate..")
                .check(messages);
    }

    @Test
    void everyEventIsARecordWithARevision() {
        classes().that().haveSimpleNameEndingWith("Event")
                .should().beRecords().andShould().beAnnotatedWith(Revision.class)
                .check(messages);
    }

    @Test
    void everyCommandIsARecord() {
        classes().that().haveSimpleNameEndingWith("Command").should().beRecords().check(messages);
    }
}
