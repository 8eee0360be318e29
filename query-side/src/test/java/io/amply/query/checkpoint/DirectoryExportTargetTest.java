package io.amply.query.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryExportTargetTest {

    @TempDir
    Path root;

    @Test
    void createsTheNestedDirectoriesOfAKey() throws IOException {
        // given
        DirectoryExportTarget target = new DirectoryExportTarget(root);

        // when
        target.put("org_1/checkpoints/000000000004-key-1.json", bytes("{\"sequence\":4}"), "application/json");

        // then
        assertThat(root.resolve("org_1/checkpoints/000000000004-key-1.json")).hasContent("{\"sequence\":4}");
    }

    @Test
    void replacesAFileWholeAndLeavesNoPartialBehind() throws IOException {
        // given: an older, longer file, and the leftover of a write that crashed half way
        DirectoryExportTarget target = new DirectoryExportTarget(root);
        target.put("org_1/latest-checkpoint.json", bytes("{\"sequence\":3,\"padding\":\"xxxxxxxxxxxxxxxxxxxx\"}"), "application/json");
        Files.writeString(root.resolve("org_1/latest-checkpoint.json.partial"), "{\"seq");

        // when
        target.put("org_1/latest-checkpoint.json", bytes("{\"sequence\":4}"), "application/json");

        // then
        assertThat(root.resolve("org_1/latest-checkpoint.json")).hasContent("{\"sequence\":4}");
        try (Stream<Path> files = Files.list(root.resolve("org_1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("latest-checkpoint.json");
        }
    }

    @Test
    void writesAtTheTopLevelToo() throws IOException {
        new DirectoryExportTarget(root).put("jwks.json", bytes("{\"keys\":[]}"), "application/json");

        assertThat(root.resolve("jwks.json")).hasContent("{\"keys\":[]}");
    }

    @Test
    void refusesKeysThatWouldLeaveTheDirectory() {
        DirectoryExportTarget target = new DirectoryExportTarget(root);

        for (String key : new String[]{"../outside.json", "org/../../outside.json", "/etc/passwd", "org//x.json", "", "org/./x"}) {
            assertThatThrownBy(() -> target.put(key, bytes("x"), "application/json")).as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(root.getParent().resolve("outside.json")).doesNotExist();
    }

    @Test
    void aFailedWriteIsAnIOException() throws IOException {
        // given: a file where a directory of the key must go
        Files.writeString(root.resolve("org_1"), "not a directory");

        assertThatThrownBy(() -> new DirectoryExportTarget(root).put("org_1/latest-checkpoint.json", bytes("{}"), "application/json"))
                .isInstanceOf(IOException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
