-- The free text of a money movement (a refund's or a correction's reason, a transfer's memo, an
-- expense's recipient reference) kept apart from the hashed ledger and from the events, so that it can
-- be erased: until now it went into a ledger entry's metadata, which the hashes cover for good, and a
-- reason such as "refund for Jane Doe" could never be taken out (ledger-hash-v1 §5: no personal data).
-- An entry now names its note (metadata.note_id, an opaque reference); the API shows the text beside the
-- entry, outside its hashed content, until the organisation erases it. Entries recorded before keep
-- their text in their metadata.
--
-- One row per organisation whose ledger names the note: a memo of a transfer to another organisation is
-- in both ledgers, and each erases its own copy.
CREATE TABLE ledger_notes (
    organisation_id VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    id              VARCHAR(20)  NOT NULL,
    text            VARCHAR(500),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    erased_at       TIMESTAMPTZ,
    erased_by       VARCHAR(20),
    PRIMARY KEY (organisation_id, id),
    -- a note holds its text until it is erased, and none after
    CONSTRAINT ledger_notes_erased CHECK ((text IS NULL) = (erased_at IS NOT NULL))
);

ALTER TABLE ledger_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_notes_isolation ON ledger_notes
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());

-- written with its movement; erased by an update, never deleted, so that an erasure is on record
GRANT SELECT, INSERT, UPDATE ON ledger_notes TO amply_app;
-- read beside the entries that name them (only where the entry's content is shown)
GRANT SELECT ON ledger_notes TO amply_readonly;
