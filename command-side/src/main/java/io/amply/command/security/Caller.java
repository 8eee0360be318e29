package io.amply.command.security;

import java.time.Instant;

/**
 * The authenticated user behind a request, and when the key it came with expires (null: never), so
 * that a key cannot make another that outlives it.
 */
public record Caller(String userId, boolean platformAdmin, Instant keyExpiresAt) {
}
