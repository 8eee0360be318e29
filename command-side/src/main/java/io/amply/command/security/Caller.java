package io.amply.command.security;

import java.time.Instant;

/**
 * The authenticated user behind a request, the key it came with, and when that key expires (null:
 * never), so that a key cannot make another that outlives it, and the keys it makes are revoked with it.
 */
public record Caller(String userId, boolean platformAdmin, String keyId, Instant keyExpiresAt) {
}
