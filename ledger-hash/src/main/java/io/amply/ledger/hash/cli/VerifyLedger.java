package io.amply.ledger.hash.cli;

import io.amply.ledger.hash.Checkpoint;
import io.amply.ledger.hash.JwkSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/**
 * The command-line ledger verifier: checks an organisation's chain and its signed checkpoints
 * against the public hash contract (docs/ledger-hash-v1.md), from files or from the public API.
 *
 * <p>Exit status: 0 when everything verified, 1 when the ledger or a checkpoint did not, 2 when
 * it could not be checked (usage or input error).
 */
public final class VerifyLedger {

    static final int VALID = 0;
    static final int INVALID = 1;
    static final int CANNOT_VERIFY = 2;

    static final String USAGE = """
            Usage: java -jar ledger-hash-<version>-verifier.jar --export <ledger.jsonl> [--checkpoints <file> --jwks <file>] [options]
                   java -jar ledger-hash-<version>-verifier.jar --url <base-url> --organisation <org_id> [options]

            Verifies an Amply ledger against the public hash contract (ledger hash v1): sequences run
            1..N without gaps, every content_hash recomputes (where the content is not withheld), every
            entry links to the one before it, and every signed checkpoint verifies under the published
            keys and matches the chain's entry at its sequence. The export is streamed, not loaded.

            Files:
              --export <file>         the ledger export: JSON Lines, one entry per line in sequence order
              --checkpoints <file>    signed checkpoints: one JSON object, a JSON array, JSON Lines, or an
                                      API response {"data": [...]}; needs --jwks
              --jwks <file>           the JWK Set of the checkpoint signing keys (GET /v1/public/keys)

            Online (the query side's public API; no credentials needed):
              --url <base-url>        e.g. http://localhost:8081; downloads the organisation's export, all
                                      its checkpoints and the published keys
              --organisation <id>     the organisation whose ledger to check, e.g. org_xyz789
              --jwks <file>           with --url: trust these keys instead of downloading them

            Options:
              --progress              show a progress bar on stderr even when it is not a terminal
              --quiet                 never show a progress bar
              --help                  show this help

            Without checkpoints only the chain's consistency with itself is checked: a chain rewritten
            and re-hashed after a change can only be caught by a signed checkpoint.

            Exit status: 0 everything verified; 1 the ledger or a checkpoint failed verification;
            2 usage or input error (unreadable file, malformed JSON line, failed download).
            """;

    private VerifyLedger() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageError e) {
            err.println("verify-ledger: " + e.getMessage());
            err.println("Run with --help for usage.");
            return CANNOT_VERIFY;
        }
        if (options.help()) {
            out.print(USAGE);
            return VALID;
        }
        try {
            Report report = options.url() != null ? fromApi(options, err) : fromFiles(options, err);
            report.lines().forEach(out::println);
            return report.valid() ? VALID : INVALID;
        } catch (InputError e) {
            err.println("verify-ledger: " + e.getMessage());
            return CANNOT_VERIFY;
        } catch (RuntimeException e) {
            // An uncaught exception would exit with 1, which here means "the ledger is invalid".
            err.println("verify-ledger: unexpected error: " + e);
            e.printStackTrace(err);
            return CANNOT_VERIFY;
        }
    }

    private static Report fromFiles(Options options, PrintStream err) {
        String source = options.export().toString();
        // The export's first lines are read and checked while the checkpoints and keys are read (the
        // JVM's first seconds are its slowest); an export that cannot be opened is reported after
        // any problem with those, as when the export was opened last.
        InputStream in = null;
        ExportReader export = null;
        long size = 0;
        IOException cannotRead = null;
        try {
            in = InputFiles.open(options.export());
            size = Files.size(options.export());
            export = new ExportReader(in, source);
            export.start();
        } catch (IOException e) {
            cannotRead = e;
        }
        boolean done = false;
        try {
            // Checkpoints before the entries are fed on: their sequences say which entry hashes to keep.
            List<Checkpoint> checkpoints = options.checkpoints() == null ? List.of()
                    : Inputs.readCheckpoints(options.checkpoints());
            JwkSet keys = options.jwks() == null ? null : Inputs.readJwks(options.jwks());
            if (cannotRead != null) {
                throw new InputError("cannot read " + source + ": " + InputFiles.describe(cannotRead), cannotRead);
            }
            Report report = new LedgerCheck(checkpoints, keys, null).run(export, progress(options, err, size));
            done = true;
            return report;
        } finally {
            if (export != null) {
                export.close();
            }
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    // As try-with-resources did: a failed close is the error only when nothing else failed.
                    if (done) {
                        throw new InputError("cannot read " + source + ": " + InputFiles.describe(e), e);
                    }
                }
            }
        }
    }

    private static Report fromApi(Options options, PrintStream err) {
        PublicApi api = new PublicApi(options.url());
        // Checkpoints before the export: the export is then at least as long as any of them signs.
        List<Checkpoint> checkpoints = api.checkpoints(options.organisation());
        JwkSet keys = options.jwks() != null ? Inputs.readJwks(options.jwks()) : api.keys();
        try (PublicApi.Download download = api.export(options.organisation())) {
            ExportReader export = new ExportReader(download.body(), "GET " + download.url());
            return new LedgerCheck(checkpoints, keys, options.organisation())
                    .run(export, progress(options, err, download.length()));
        } catch (IOException e) {
            throw new InputError("download failed: " + InputFiles.describe(e), e);
        }
    }

    private static Progress progress(Options options, PrintStream err, long totalBytes) {
        boolean show = !options.quiet() && (options.progress() || System.console() != null);
        return show ? Progress.to(err, totalBytes) : Progress.off();
    }
}
