-- Ledger metadata is stored as json (its text, checked to be JSON) instead of jsonb. Every
-- verification reads every entry's metadata, and PostgreSQL writes jsonb back out as text for each
-- read: about 0.2-0.3 s of the replica's CPU per million entries, the largest part of a
-- verification's cost that was left (docs/benchmarks.md). The hashes cover the metadata's meaning
-- (RFC 8785), not its text, so no hash changes. Lookups by member (->>) work on json as on jsonb;
-- the expression indexes on metadata ->> 'donation_id' are rebuilt by the ALTER.
DROP VIEW ledger;

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_metadata_check;
ALTER TABLE ledger_entries ALTER COLUMN metadata DROP DEFAULT;
ALTER TABLE ledger_entries ALTER COLUMN metadata TYPE json USING metadata::json;
ALTER TABLE ledger_entries ALTER COLUMN metadata SET DEFAULT '{}';
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_metadata_check CHECK (json_typeof(metadata) = 'object');

ALTER TABLE ledger_entries_scratch ALTER COLUMN metadata DROP DEFAULT;
ALTER TABLE ledger_entries_scratch ALTER COLUMN metadata TYPE json USING metadata::json;
ALTER TABLE ledger_entries_scratch ALTER COLUMN metadata SET DEFAULT '{}';

-- As V13 made it.
CREATE VIEW ledger AS
SELECT organisation_id, sequence, id, type, amount, currency, visibility,
       metadata ->> 'fund_id'                                  AS fund_id,
       date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
       created_at, metadata, entry_hash
  FROM ledger_entries;
ALTER VIEW ledger SET (security_invoker = true);
GRANT SELECT ON ledger TO amply_app, amply_readonly;
