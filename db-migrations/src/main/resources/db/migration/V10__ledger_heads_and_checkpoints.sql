-- The head of every organisation's chain, written with the entries (same transaction). Chain
-- heads are public (every hash is), so this table has no row-level security: the checkpoint
-- scheduler reads it across organisations.
CREATE TABLE ledger_heads (
    organisation_id          VARCHAR(20) PRIMARY KEY REFERENCES organisations (id),
    sequence                 BIGINT      NOT NULL CHECK (sequence > 0),
    entry_hash               VARCHAR(71) NOT NULL CHECK (entry_hash ~ '^sha256:[a-f0-9]{64}$'),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    checkpoint_sequence      BIGINT      NOT NULL DEFAULT 0,
    checkpoint_at            TIMESTAMPTZ
);
CREATE INDEX ledger_heads_due ON ledger_heads ((sequence - checkpoint_sequence));
GRANT SELECT, INSERT, UPDATE ON ledger_heads TO amply_app;
GRANT SELECT ON ledger_heads TO amply_readonly;

-- Checkpoints are signed public statements (ledger-hash-v1 §4), published to everyone: they
-- are not tenant data, so they are readable without an organisation context.
ALTER TABLE checkpoints NO FORCE ROW LEVEL SECURITY;
ALTER TABLE checkpoints DISABLE ROW LEVEL SECURITY;
DROP POLICY checkpoints_isolation ON checkpoints;
ALTER TABLE checkpoints ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_org_sequence_key UNIQUE (organisation_id, sequence, key_id);
CREATE INDEX checkpoints_unpublished ON checkpoints (created_at) WHERE published_at IS NULL;
GRANT UPDATE (published_at) ON checkpoints TO amply_app;

-- Scratch space for rebuilding chains from the event store and comparing them with the
-- ledger (the cross-check, and replay tests). Same columns as ledger_entries; none of its
-- guards, because nothing here is ever published.
CREATE TABLE ledger_entries_scratch (LIKE ledger_entries INCLUDING DEFAULTS);
ALTER TABLE ledger_entries_scratch ADD PRIMARY KEY (organisation_id, sequence);
CREATE INDEX ledger_entries_scratch_source ON ledger_entries_scratch (source_event_id, source_index);
CREATE INDEX ledger_entries_scratch_received ON ledger_entries_scratch (organisation_id, (metadata ->> 'donation_id'))
    WHERE type = 'donation_received';
ALTER TABLE ledger_entries_scratch ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_entries_scratch FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_entries_scratch_isolation ON ledger_entries_scratch
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());
GRANT SELECT, INSERT, DELETE ON ledger_entries_scratch TO amply_app;
