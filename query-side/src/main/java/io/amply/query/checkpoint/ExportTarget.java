package io.amply.query.checkpoint;

import java.io.IOException;

/**
 * Somewhere the published checkpoint files go (a directory, an S3-compatible bucket). A put
 * replaces the object whole: a reader sees the old content or the new, never a part.
 */
interface ExportTarget {

    /**
     * Stores {@code content} under {@code key}, a relative path of {@code /}-separated segments
     * such as {@code org_1/latest-checkpoint.json}. Throws when it is not stored, so the caller
     * can try again.
     */
    void put(String key, byte[] content, String contentType) throws IOException;

    /** Where it writes, for logs; never a credential. */
    String describe();
}
