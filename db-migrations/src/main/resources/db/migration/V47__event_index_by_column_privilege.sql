-- V46's trigger (an inserted event's global_index must be currval of its sequence) left two ways round it, found by
-- its review the same day: currval outlives a rolled-back transaction, so a session could draw an index, wait until
-- the processors gave its gap up, and then name it; and the check cast its sequence's name to a type named without
-- its schema, which a session's temporary type and cast could stand in for. Column privileges close it with no
-- per-row cost: amply_app may insert every column of an event but global_index, which PostgreSQL then always takes
-- from its default (a default is not a column the statement names, so it needs no privilege); an INSERT or COPY
-- naming global_index is refused (42501, permission denied), nothing written. Axon never names it.
-- The event store's lock for a moment: give up if a transaction holds it, and run migrate again.
SET LOCAL lock_timeout = '3s';

DROP TRIGGER domain_event_entry_index_from_sequence ON domain_event_entry;
DROP FUNCTION amply_event_index_from_sequence();
DO $do$
BEGIN
    -- back to V6's USAGE alone (V46 added SELECT for its currval)
    EXECUTE format('REVOKE SELECT ON SEQUENCE %s FROM amply_app',
                   pg_get_serial_sequence('public.domain_event_entry', 'global_index'));
END
$do$;

REVOKE INSERT ON domain_event_entry FROM amply_app;
GRANT INSERT (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision,
              payload, meta_data) ON domain_event_entry TO amply_app;
