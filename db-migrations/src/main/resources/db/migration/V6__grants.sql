-- amply_app: reads everything it serves, appends to the ledger, and changes only mutable tables.
-- It owns nothing, so it can neither ALTER a table nor disable a trigger.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO amply_app, amply_readonly;

GRANT SELECT, INSERT ON ledger_entries, checkpoints, domain_event_entry, snapshot_event_entry,
                        stripe_events_processed TO amply_app;
GRANT SELECT, INSERT, UPDATE ON organisations, funds, projects, campaigns, businesses, donations,
                                transactions, users, api_keys TO amply_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, idempotency_keys, token_entry, saga_entry,
                                        association_value_entry, dead_letter_entry TO amply_app;
-- Snapshots are replaced when an aggregate is snapshotted again.
GRANT DELETE ON snapshot_event_entry TO amply_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO amply_app;

-- amply_readonly: the read replica's role, for the query side and analysts. No secrets, no
-- event payloads: only the read models and the ledger.
GRANT SELECT ON organisations, funds, projects, campaigns, businesses, transactions, checkpoints,
                ledger_entries TO amply_readonly;
