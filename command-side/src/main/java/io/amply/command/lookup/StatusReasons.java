package io.amply.command.lookup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Why a campaign or a project was cancelled, or an organisation suspended, as its author wrote it: kept in
 * {@code status_reasons}, where it can be changed or removed, and not in the event, which the event store and
 * Kafka keep for good. Written in the same transaction as the command, so a refused command leaves none. Only
 * these requests touch the table, so its row locks wait for nothing else.
 */
@Component
public class StatusReasons {

    private final JdbcTemplate jdbc;
    private final OrganisationContext context;
    private final Lookups lookups;

    StatusReasons(JdbcTemplate jdbc, OrganisationContext context, Lookups lookups) {
        this.jdbc = jdbc;
        this.context = context;
        this.lookups = lookups;
    }

    /** Records {@code reason} (nothing for null) for the resource's new {@code status}, in the current transaction. */
    public void record(String organisationId, String resourceId, String status, String reason, String recordedBy) {
        if (reason == null) {
            return;
        }
        context.enter(organisationId);
        jdbc.update("""
                INSERT INTO status_reasons (organisation_id, resource_id, status, reason, recorded_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (organisation_id, resource_id) DO UPDATE
                   SET status = EXCLUDED.status, reason = EXCLUDED.reason, recorded_by = EXCLUDED.recorded_by,
                       recorded_at = now()""",
                organisationId, resourceId, status, reason, recordedBy);
    }

    /** The resource's status no longer holds (an organisation reinstated): its reason goes, in the current transaction. */
    public void forget(String organisationId, String resourceId) {
        context.enter(organisationId);
        jdbc.update("DELETE FROM status_reasons WHERE organisation_id = ? AND resource_id = ?", organisationId, resourceId);
    }

    /** The reason recorded for the resource's {@code status}, or null (none given, or one recorded before V40 in the event). */
    public String of(String organisationId, String resourceId, String status) {
        return lookups.inContext(organisationId, () -> jdbc.queryForList("""
                        SELECT reason FROM status_reasons WHERE organisation_id = ? AND resource_id = ? AND status = ?""",
                String.class, organisationId, resourceId, status))
                .stream().findFirst().orElse(null);
    }
}
