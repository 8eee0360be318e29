package io.amply.query.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files under a directory (a synced mount, or the local stand-in for the public bucket); the key is the relative path. */
final class DirectoryExportTarget implements ExportTarget {

    private final Path root;

    DirectoryExportTarget(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Written beside, then moved into place, so a reader never sees half a file. */
    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        Path file = resolve(key);
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The key's file; a key that would leave the directory (absolute, {@code ..}, empty segments) is refused. */
    Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException("not a relative object key: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("not a relative object key: " + key);
            }
        }
        return root.resolve(key);
    }

    @Override
    public String describe() {
        return "directory " + root;
    }
}
