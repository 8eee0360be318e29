-- Analysts query the replica as amply_analyst, a role of their own (the bootstrap step creates it, with a password only
-- where one is configured). Until now they used amply_readonly, the query side's role, which reads ledger_notes: an
-- organisation's free text about its money movements (refund reasons, memos), donors' words among them, and every
-- organisation's, since whoever may set the organisation context may set any. amply_analyst reads what
-- amply_readonly reads but the notes. A later migration that grants amply_readonly a table grants it here too, or says
-- why not (MigrationsIT compares the two roles).
DO $$
DECLARE
    r record;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amply_analyst') THEN
        RAISE EXCEPTION 'the role amply_analyst does not exist: run the bootstrap step (db-migrations bootstrap, as the '
            'cluster''s superuser) before migrate';
    END IF;
    FOR r IN SELECT c.oid::regclass AS relation
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')
                AND c.relname <> 'ledger_notes'
                AND has_table_privilege('amply_readonly', c.oid, 'SELECT')
    LOOP
        EXECUTE format('GRANT SELECT ON %s TO amply_analyst', r.relation);
    END LOOP;
END
$$;
GRANT USAGE ON SCHEMA public TO amply_analyst;
