-- Tenant isolation. A row is visible to, and writable by, a transaction only when it belongs
-- to the organisation in that transaction's context (amply_set_org). FORCE makes the policies
-- bind the tables' owner too; only a superuser bypasses them, and the application never
-- connects as one.

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY organisations_isolation ON organisations
    USING (id = amply_current_org()) WITH CHECK (id = amply_current_org());

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['memberships', 'funds', 'projects', 'campaigns', 'donations', 'transactions',
                             'checkpoints', 'ledger_entries']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = amply_current_org()) '
                       'WITH CHECK (organisation_id = amply_current_org())', t || '_isolation', t);
    END LOOP;
END
$$;
