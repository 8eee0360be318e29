package io.amply.command;

/**
 * An aggregate refused a command because it would break a business rule (a guard clause). The
 * API reports it as {@code invalid_request} (or {@code conflict} when the state, not the input,
 * is at fault) with the offending parameter.
 */
public class RuleViolation extends RuntimeException {

    private final boolean conflict;
    private final String param;

    private RuleViolation(String message, String param, boolean conflict) {
        super(message);
        this.param = param;
        this.conflict = conflict;
    }

    public static RuleViolation invalid(String param, String message) {
        return new RuleViolation(message, param, false);
    }

    public static RuleViolation conflict(String message) {
        return new RuleViolation(message, null, true);
    }

    public boolean isConflict() {
        return conflict;
    }

    public String param() {
        return param;
    }
}
