package io.amply.command;

/**
 * An aggregate refused a command because it would break a business rule (a guard clause). The
 * API reports it as {@code invalid_request} with the offending parameter, as {@code conflict} when
 * the state, not the input, is at fault, or as {@code authorization_error} when the rule is about
 * who may do it and only the aggregate knows for certain (an owner's membership, under its lock), or as
 * {@code not_found} when the resource a path names exists only in the aggregate's state (a member's role).
 */
public class RuleViolation extends RuntimeException {

    public enum Kind { INVALID, CONFLICT, FORBIDDEN, NOT_FOUND }

    private final Kind kind;
    private final String param;

    private RuleViolation(String message, String param, Kind kind) {
        super(message);
        this.param = param;
        this.kind = kind;
    }

    public static RuleViolation invalid(String param, String message) {
        return new RuleViolation(message, param, Kind.INVALID);
    }

    public static RuleViolation conflict(String message) {
        return new RuleViolation(message, null, Kind.CONFLICT);
    }

    public static RuleViolation forbidden(String message) {
        return new RuleViolation(message, null, Kind.FORBIDDEN);
    }

    public static RuleViolation notFound(String param, String message) {
        return new RuleViolation(message, param, Kind.NOT_FOUND);
    }

    public Kind kind() {
        return kind;
    }

    public String param() {
        return param;
    }
}
