package io.amply.command.security;

/** The authenticated user behind a request. */
public record Caller(String userId, boolean platformAdmin) {
}
