package io.amply.ledger.hash.cli;

/** A command line that cannot be acted on: exit status 2, with a pointer to {@code --help}. */
final class UsageError extends RuntimeException {

    UsageError(String message) {
        super(message);
    }
}
