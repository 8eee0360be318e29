package io.amply.local;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's jar ({@code ./run-local}, the benchmarks) carries the command and query sides as
 * just built: an unchanged launcher module once kept its jar from an earlier build, stale modules
 * inside, because Spring Boot leaves a jar it finds already repackaged as it is.
 */
class LauncherJarIT {

    @Test
    void theLaunchersJarCarriesTheModulesThisBuildCompiled() throws Exception {
        // given: the jar the package phase left
        Path jar = Path.of("target", "amply-local.jar");
        assertThat(jar).exists();

        try (JarFile launcher = new JarFile(jar.toFile())) {
            for (Class<?> of : new Class<?>[] {io.amply.command.CommandSideApplication.class,
                    io.amply.query.QuerySideApplication.class, io.amply.events.Visibility.class}) {
                // when: a module's classes inside it, and as this build compiled them (the tests' class path)
                Path built = Path.of(of.getProtectionDomain().getCodeSource().getLocation().toURI());
                String module = built.toString().contains("command-side") ? "command-side"
                        : built.toString().contains("query-side") ? "query-side" : "shared-events";
                JarEntry nested = launcher.stream()
                        .filter(e -> e.getName().startsWith("BOOT-INF/lib/" + module + "-") && e.getName().endsWith(".jar"))
                        .findFirst().orElseThrow(() -> new AssertionError(module + " is not in the launcher's jar"));
                TreeMap<String, byte[]> packed = classes(launcher.getInputStream(nested).readAllBytes());
                TreeMap<String, byte[]> compiled = Files.isDirectory(built) ? classesIn(built) : classes(Files.readAllBytes(built));

                // then: the same classes, byte for byte
                assertThat(packed.keySet()).as(module).isNotEmpty().isEqualTo(compiled.keySet());
                packed.forEach((name, bytes) -> assertThat(Arrays.equals(bytes, compiled.get(name)))
                        .as(name + " in the launcher's jar is the one just compiled").isTrue());
            }
        }
    }

    private static TreeMap<String, byte[]> classesIn(Path directory) throws IOException {
        TreeMap<String, byte[]> classes = new TreeMap<>();
        try (var files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                classes.put(directory.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return classes;
    }

    private static TreeMap<String, byte[]> classes(byte[] jar) throws IOException {
        TreeMap<String, byte[]> classes = new TreeMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                if (entry.getName().endsWith(".class")) {
                    classes.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return classes;
    }
}
