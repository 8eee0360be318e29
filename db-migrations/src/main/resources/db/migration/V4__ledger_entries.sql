-- The tamper-evident ledger (docs/ledger-hash-v1.md). Append-only: rows are never updated,
-- deleted or truncated; a mistake is corrected by a new entry.
CREATE TABLE ledger_entries (
    id              VARCHAR(20)  PRIMARY KEY,
    organisation_id VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    sequence        BIGINT       NOT NULL CHECK (sequence > 0),
    type            VARCHAR(50)  NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]*$'),
    amount          BIGINT       NOT NULL CHECK (abs(amount) <= 9007199254740991),
    currency        CHAR(3)      NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    visibility      VARCHAR(20)  NOT NULL
        CHECK (visibility IN ('public_full', 'public_aggregated', 'delayed_public', 'internal_only')),
    metadata        JSONB        NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at      TIMESTAMPTZ  NOT NULL,
    content_hash    VARCHAR(71)  NOT NULL,
    prev_entry_hash VARCHAR(71),
    entry_hash      VARCHAR(71)  NOT NULL,
    -- The event this entry was made from, and its position among that event's entries: a
    -- redelivered event can never make a second entry.
    source_event_id VARCHAR(255) NOT NULL,
    source_index    SMALLINT     NOT NULL DEFAULT 0,
    CONSTRAINT valid_hash CHECK (
        entry_hash ~ '^sha256:[a-f0-9]{64}$'
        AND content_hash ~ '^sha256:[a-f0-9]{64}$'
        AND (prev_entry_hash IS NULL OR prev_entry_hash ~ '^sha256:[a-f0-9]{64}$')),
    CONSTRAINT first_entry_has_no_prev CHECK ((sequence = 1) = (prev_entry_hash IS NULL)),
    -- One entry per position: two writers that both saw the same head cannot both append.
    CONSTRAINT ledger_entries_org_sequence UNIQUE (organisation_id, sequence),
    CONSTRAINT ledger_entries_source UNIQUE (source_event_id, source_index)
);
CREATE INDEX ledger_entries_org_created ON ledger_entries (organisation_id, created_at, sequence);
CREATE INDEX ledger_entries_org_type ON ledger_entries (organisation_id, type, sequence);

-- Refuses every UPDATE and DELETE, whoever asks (row triggers) ...
CREATE FUNCTION prevent_ledger_modification() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'Ledger entries are immutable: % on ledger_entries is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Correct a ledger entry by appending a reversal or adjustment entry.';
END
$$;

CREATE TRIGGER prevent_ledger_update
    BEFORE UPDATE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION prevent_ledger_modification();

CREATE TRIGGER prevent_ledger_delete
    BEFORE DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION prevent_ledger_modification();

-- ... and TRUNCATE, which row triggers never see.
CREATE TRIGGER prevent_ledger_truncate
    BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION prevent_ledger_modification();

-- Every new entry must extend its organisation's chain: the next sequence after an existing
-- entry, linked to that entry's hash. Checked by sequence, not created_at: rows of one
-- transaction share created_at, and the unique (organisation_id, sequence) turns a
-- concurrent second append at the same position into an error instead of a fork.
-- Earlier rows of the same multi-row INSERT are visible here, so a batch chains in one statement.
CREATE FUNCTION verify_ledger_chain() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    previous_hash VARCHAR(71);
BEGIN
    IF NEW.sequence = 1 THEN
        IF NEW.prev_entry_hash IS NOT NULL THEN
            RAISE EXCEPTION 'Hash chain broken: the first entry of organisation % must have no prev_entry_hash',
                NEW.organisation_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;

    SELECT entry_hash INTO previous_hash
      FROM ledger_entries
     WHERE organisation_id = NEW.organisation_id AND sequence = NEW.sequence - 1;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'Hash chain broken: organisation % has no entry at sequence % to extend',
            NEW.organisation_id, NEW.sequence - 1 USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_entry_hash IS DISTINCT FROM previous_hash THEN
        RAISE EXCEPTION 'Hash chain broken: prev_entry_hash of sequence % does not match the entry_hash of sequence %',
            NEW.sequence, NEW.sequence - 1 USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER verify_ledger_chain
    BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION verify_ledger_chain();
