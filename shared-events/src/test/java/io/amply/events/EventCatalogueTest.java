package io.amply.events;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/events.md is the catalogue that Kafka's consumers and the ledger's readers go by: it lists every event record, and
 * says which are an organisation's and which revision they are at. A new event, or one moved to a new revision, without
 * its line there fails here.
 */
class EventCatalogueTest {

    private static final Path CATALOGUE = Path.of("../docs/events.md");
    /** A row of one of its tables: | `NameEvent` | meaning | ledger | org-scoped | */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+Event)` \\|.*\\| ([^|]+) \\|\\s*$");

    @Test
    void theCatalogueListsEveryEventWhetherItIsAnOrganisationsAndItsRevision() throws IOException {
        // given: the event records, and the catalogue's rows
        Map<String, JavaClass> events = new TreeMap<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.amply.events")
                .stream().filter(type -> type.getSimpleName().endsWith("Event") && type.isRecord())
                .forEach(type -> events.put(type.getSimpleName(), type));
        String catalogue = Files.readString(CATALOGUE);
        Map<String, String> rows = new TreeMap<>();
        for (String line : catalogue.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                assertThat(rows.put(row.group(1), row.group(2).trim())).as("%s listed twice", row.group(1)).isNull();
            }
        }

        // then: the same events, each an organisation's exactly when the catalogue says so, at the revision it states
        assertThat(events).isNotEmpty();
        assertThat(rows.keySet()).as("the events docs/events.md lists").isEqualTo(events.keySet());
        assertThat(catalogue).contains("`@Revision(\"1\")`");
        events.forEach((name, type) -> {
            assertThat(rows.get(name).startsWith("yes")).as("%s org-scoped in the catalogue", name)
                    .isEqualTo(type.isAssignableTo(OrganisationScoped.class));
            assertThat(type.getAnnotationOfType(Revision.class).value())
                    .as("%s's revision: the catalogue states 1 for all; a new revision needs its own line there", name)
                    .isEqualTo("1");
        });
    }
}
