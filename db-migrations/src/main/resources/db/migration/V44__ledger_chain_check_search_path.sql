-- The chain check (V15's verify_ledger_chain) names ledger_entries without its schema and ran with the caller's
-- search_path, in which PostgreSQL looks at the session's temporary schema first: amply_app could create a
-- temporary table named ledger_entries holding the hash it wanted an entry to extend, and commit a broken link
-- or a gap into the real one (found by an audit, 2026-11-29). With pg_temp last, the name is the real table's.
-- The other functions either read no table (pg_temp is never searched for functions) or run as the owner with
-- pg_temp last already (V43).
ALTER FUNCTION verify_ledger_chain() SET search_path = pg_catalog, public, pg_temp;
