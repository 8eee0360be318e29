package io.amply.query.web;

/** Names of downloads, made from what a request's path says. */
public final class FileNames {

    private FileNames() {
    }

    /**
     * Only the characters an id has: a path's id goes into {@code Content-Disposition}, where a quote
     * or a semicolon would let the caller choose the name the browser saves the file under.
     */
    public static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]", "");
    }
}
