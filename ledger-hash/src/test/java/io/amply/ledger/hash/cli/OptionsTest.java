package io.amply.ledger.hash.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTest {

    @Test
    void readsTheFileModeWithSeparateAndInlineValues() {
        // when
        Options options = Options.parse(new String[]{"--export", "ledger.jsonl", "--checkpoints=cp.json",
                "--jwks", "keys.json", "--quiet"});

        // then
        assertThat(options.export()).isEqualTo(Path.of("ledger.jsonl"));
        assertThat(options.checkpoints()).isEqualTo(Path.of("cp.json"));
        assertThat(options.jwks()).isEqualTo(Path.of("keys.json"));
        assertThat(options.quiet()).isTrue();
        assertThat(options.url()).isNull();
    }

    @Test
    void readsTheUrlMode() {
        // when
        Options options = Options.parse(new String[]{"--url", "http://localhost:8081/", "--organisation", "org_xyz789"});

        // then
        assertThat(options.url()).isEqualTo(URI.create("http://localhost:8081/"));
        assertThat(options.organisation()).isEqualTo("org_xyz789");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|give --export <file>, or --url",
            "--export a.jsonl --url http://x|cannot be combined",
            "--export a.jsonl --checkpoints c.json|--checkpoints needs --jwks",
            "--export a.jsonl --jwks k.json|--jwks is only used with --checkpoints or --url",
            "--url http://x|--url needs --organisation",
            "--export a.jsonl --organisation org_a|--organisation is only used with --url",
            "--url http://x --organisation org_a --checkpoints c.json --jwks k.json|--checkpoints is only used with --export",
            "--url ftp://x --organisation org_a|--url must be an http(s) base URL",
            "--export|--export needs a value",
            "--export a.jsonl --export b.jsonl|--export is given more than once",
            "--export a.jsonl --verbose|unknown option --verbose",
            "--export a.jsonl extra|unexpected argument extra",
            "--export a.jsonl --quiet=yes|--quiet takes no value"})
    void refusesCommandLinesItCannotActOn(String commandLine, String message) {
        // given
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");

        // when / then
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(UsageError.class).hasMessageContaining(message);
    }

    @Test
    void aUsageErrorExitsWithTwoAndPointsToHelp() {
        // when
        CliRun run = CliRun.of("--export", "a.jsonl", "--checkpoints", "c.json");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("--checkpoints needs --jwks").contains("Run with --help for usage.");
    }

    @Test
    void helpPrintsTheUsageAndExitsWithZero() {
        // when
        CliRun run = CliRun.of("--help");

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(VerifyLedger.USAGE).startsWith("Usage: ").contains("Exit status: 0");
    }
}
