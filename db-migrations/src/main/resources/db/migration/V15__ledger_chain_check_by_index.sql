-- verify_ledger_chain (V14) joined the statement's rows to ledger_entries; for a batch the planner
-- chose a hash join over the organisation's whole chain, so each append cost more the longer
-- the chain (measured with perf, docs/benchmarks.md). A scalar subquery per new row is never
-- turned into a join: one index probe on (organisation_id, sequence) per row, at any length.
CREATE OR REPLACE FUNCTION verify_ledger_chain() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    bad RECORD;
BEGIN
    SELECT c.organisation_id, c.sequence, c.previous_hash IS NOT NULL AS has_previous
      INTO bad
      FROM (SELECT a.organisation_id, a.sequence, a.prev_entry_hash,
                   (SELECT l.entry_hash FROM ledger_entries l
                     WHERE l.organisation_id = a.organisation_id AND l.sequence = a.sequence - 1) AS previous_hash
              FROM added a) c
     WHERE (c.sequence = 1 AND c.prev_entry_hash IS NOT NULL)
        OR (c.sequence > 1 AND (c.previous_hash IS NULL OR c.prev_entry_hash IS DISTINCT FROM c.previous_hash))
     ORDER BY c.organisation_id, c.sequence
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF bad.sequence = 1 THEN
        RAISE EXCEPTION 'Hash chain broken: the first entry of organisation % must have no prev_entry_hash',
            bad.organisation_id USING ERRCODE = 'check_violation';
    END IF;
    IF NOT bad.has_previous THEN
        RAISE EXCEPTION 'Hash chain broken: organisation % has no entry at sequence % to extend',
            bad.organisation_id, bad.sequence - 1 USING ERRCODE = 'check_violation';
    END IF;
    RAISE EXCEPTION 'Hash chain broken: prev_entry_hash of sequence % does not match the entry_hash of sequence %',
        bad.sequence, bad.sequence - 1 USING ERRCODE = 'check_violation';
END
$$;
