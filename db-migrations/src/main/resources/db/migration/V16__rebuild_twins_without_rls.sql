-- The rebuild twins (V13) are written only by a rebuild and read only by its swap, both the
-- application's own role; no client role has a grant on them. Row-level security on them cost a
-- statement per event (setting the organisation) and kept writes from being batched, so a rebuild
-- ran at a tenth of its target (docs/benchmarks.md). The live tables keep forced row-level security,
-- and the swap copies into them organisation by organisation under it.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['campaign_summaries_rebuild', 'campaign_contributions_rebuild', 'project_summaries_rebuild',
                             'project_spending_rebuild', 'transactions_rebuild', 'fund_movements_rebuild']
    LOOP
        EXECUTE format('DROP POLICY %I ON %I', t || '_isolation', t);
        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
