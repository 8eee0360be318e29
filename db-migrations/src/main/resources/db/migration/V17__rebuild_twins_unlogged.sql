-- The rebuild twins (V13) are scratch space: a rebuild truncates them before it starts, fills them
-- and copies from them into the live tables in one transaction (docs/read-models.md). Two things
-- they had cost a rebuild time on the same two cores without doing anything for it
-- (docs/benchmarks.md):
-- * logging: every row went to the WAL and was replayed by the replica, where no one reads it.
--   Unlogged, a twin is emptied by a crash, which fails only the rebuild that was running;
-- * their non-unique indexes: clients never read a twin, the handlers write it by primary key,
--   and the swap compares it with the live table by primary key. The unique indexes stay: they
--   are the conflict targets of the handlers' upserts, and they refuse a rebuild that would break
--   a unique constraint of the live table before the swap gets there.
DO $$
DECLARE
    t text;
    i regclass;
BEGIN
    FOREACH t IN ARRAY ARRAY['organisation_profiles', 'organisation_totals', 'organisation_totals_applied',
                             'campaign_summaries', 'campaign_contributions', 'project_summaries', 'project_spending',
                             'transactions', 'fund_movements']
    LOOP
        EXECUTE format('ALTER TABLE %I SET UNLOGGED', t || '_rebuild');
        FOR i IN SELECT indexrelid::regclass FROM pg_index WHERE indrelid = (t || '_rebuild')::regclass AND NOT indisunique
        LOOP
            EXECUTE format('DROP INDEX %s', i);
        END LOOP;
    END LOOP;
END
$$;
