-- Appending to the ledger, measured (docs/benchmarks.md): per row, the three counted regular
-- expressions of valid_hash ('[a-f0-9]{64}') cost more than everything else in the insert, and the
-- row-level chain trigger runs one PL/pgSQL call and one query per row. Same rules, cheaper form.

-- valid_hash: the same set of strings ('sha256:' and 64 lower-case hex digits), checked by
-- length and an unbounded class instead of a counted repetition.
ALTER TABLE ledger_entries DROP CONSTRAINT valid_hash;
ALTER TABLE ledger_entries ADD CONSTRAINT valid_hash CHECK (
    (length(entry_hash) = 71 AND entry_hash ~ '^sha256:[a-f0-9]+$')
    AND (length(content_hash) = 71 AND content_hash ~ '^sha256:[a-f0-9]+$')
    AND (prev_entry_hash IS NULL OR (length(prev_entry_hash) = 71 AND prev_entry_hash ~ '^sha256:[a-f0-9]+$')));

-- verify_ledger_chain: one check per INSERT statement over all its rows (a transition table)
-- instead of one per row; same name, same messages, and it still refuses the whole statement.
DROP TRIGGER verify_ledger_chain ON ledger_entries;
DROP FUNCTION verify_ledger_chain();

CREATE FUNCTION verify_ledger_chain() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    bad RECORD;
BEGIN
    -- the lowest offending row of the statement, per the order a reader of the chain meets them
    SELECT a.organisation_id, a.sequence, a.prev_entry_hash, l.entry_hash AS previous_hash, (l.sequence IS NOT NULL) AS has_previous
      INTO bad
      FROM added a
      LEFT JOIN ledger_entries l ON l.organisation_id = a.organisation_id AND l.sequence = a.sequence - 1
     WHERE (a.sequence = 1 AND a.prev_entry_hash IS NOT NULL)
        OR (a.sequence > 1 AND (l.sequence IS NULL OR a.prev_entry_hash IS DISTINCT FROM l.entry_hash))
     ORDER BY a.organisation_id, a.sequence
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

CREATE TRIGGER verify_ledger_chain
    AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION verify_ledger_chain();
