package io.amply.ledger.hash.cli;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The parsed command line: either files ({@code --export}) or the public API ({@code --url}). */
record Options(Path export, Path checkpoints, Path jwks, URI url, String organisation,
               boolean progress, boolean quiet, boolean help) {

    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        boolean progress = false;
        boolean quiet = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                inline = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> help = flag(arg, inline);
                case "--progress" -> progress = flag(arg, inline);
                case "--quiet", "-q" -> quiet = flag(arg, inline);
                case "--export", "--checkpoints", "--jwks", "--url", "--organisation" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageError(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (value.isBlank()) {
                        throw new UsageError(arg + " needs a value");
                    }
                    if (values.put(arg, value) != null) {
                        throw new UsageError(arg + " is given more than once");
                    }
                }
                default -> throw new UsageError(arg.startsWith("-") ? "unknown option " + arg : "unexpected argument " + arg);
            }
        }
        Options options = new Options(path(values, "--export"), path(values, "--checkpoints"), path(values, "--jwks"),
                url(values.get("--url")), values.get("--organisation"), progress, quiet, help);
        if (!help) {
            options.validate();
        }
        return options;
    }

    private void validate() {
        if (export == null && url == null) {
            throw new UsageError("give --export <file>, or --url <base-url> with --organisation <id>");
        }
        if (export != null && url != null) {
            throw new UsageError("--export and --url cannot be combined");
        }
        if (url != null && organisation == null) {
            throw new UsageError("--url needs --organisation <id>");
        }
        if (url == null && organisation != null) {
            throw new UsageError("--organisation is only used with --url");
        }
        if (url != null && checkpoints != null) {
            throw new UsageError("--checkpoints is only used with --export (--url downloads them)");
        }
        if (checkpoints != null && jwks == null) {
            throw new UsageError("--checkpoints needs --jwks <file>, the keys that signed them");
        }
        if (url == null && jwks != null && checkpoints == null) {
            throw new UsageError("--jwks is only used with --checkpoints or --url");
        }
    }

    private static boolean flag(String option, String inline) {
        if (inline != null) {
            throw new UsageError(option + " takes no value");
        }
        return true;
    }

    private static Path path(Map<String, String> values, String option) {
        String value = values.get(option);
        if (value == null) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageError(option + ": not a file path: " + value);
        }
    }

    private static URI url(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new UsageError("--url must be an http(s) base URL such as http://localhost:8081, not " + value);
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new UsageError("--url is not a URL: " + value);
        }
    }
}
