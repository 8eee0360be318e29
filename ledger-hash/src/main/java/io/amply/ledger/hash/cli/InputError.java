package io.amply.ledger.hash.cli;

/**
 * Input that cannot be read or parsed (a file, a download, a JSON line): exit status 2, because
 * nothing can be said about the ledger's validity.
 */
final class InputError extends RuntimeException {

    InputError(String message) {
        super(message);
    }

    InputError(String message, Throwable cause) {
        super(message, cause);
    }
}
