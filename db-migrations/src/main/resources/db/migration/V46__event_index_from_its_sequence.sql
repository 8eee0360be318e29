-- An event's global index is the order the query side's processors read the store in, and the gaps they wait for.
-- It comes from the column's identity sequence; but a role that may insert events could also name an index of its
-- own (found by an audit, 2026-11-29): one far ahead makes every processor jump past the indexes the sequence
-- hands out next, which they then take for gaps and skip once the gap timeout passes, and one behind what they have
-- read is never read. Axon never names one. So an inserted event's index must be the one the sequence just handed
-- out in this session, as the column's default does (currval); anything else is refused, nothing written, and so is
-- an index named before the session drew any (currval then fails: "not yet defined in this session").
-- Kept cheap, as it runs for every event: no exception block (each would open a subtransaction), no SET clause, the
-- sequence named by its qualified name, resolved once here; amply_app gets SELECT on the sequence for currval (it
-- cannot draw from it with that).
-- the trigger takes the event store's lock for a moment: give up if a transaction holds it, and run migrate again
SET LOCAL lock_timeout = '3s';

DO $do$
DECLARE
    sequence_name text := pg_get_serial_sequence('public.domain_event_entry', 'global_index');
BEGIN
    EXECUTE format($function$
        CREATE FUNCTION amply_event_index_from_sequence() RETURNS trigger
            LANGUAGE plpgsql AS
        $body$
        BEGIN
            IF NEW.global_index IS DISTINCT FROM pg_catalog.currval(%L::regclass) THEN
                RAISE EXCEPTION 'event %% names global index %%, not the one its sequence gave it', NEW.event_identifier,
                    NEW.global_index
                    USING ERRCODE = '42501', HINT = 'leave global_index to its default';
            END IF;
            RETURN NEW;
        END
        $body$
        $function$, sequence_name);
    EXECUTE format('GRANT SELECT ON SEQUENCE %s TO amply_app', sequence_name);
END
$do$;

CREATE TRIGGER domain_event_entry_index_from_sequence
    BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION amply_event_index_from_sequence();
