-- V49 made the commit deadline of events run in a COMMIT of its own. Its review found that a COMMIT goes on after its
-- deferred checks: it runs the rest of any cursor declared WITH HOLD, and the deferred triggers queued after the
-- event's, before the transaction becomes visible. So amply_app could pass the check and then hold its commit for as
-- long as it liked (a holdable cursor waiting on a lock, or a deferred trigger of its own on a temporary table
-- sleeping), and its events became visible after the processors had given their indexes up. Now:
-- * the check refuses a transaction with a holdable cursor open (the application declares none: the JDBC driver's
--   result sets are the protocol's portals, which are not holdable);
-- * no role but the owner may create temporary objects, so no one else has a table to hang a trigger of their own on
--   (the application uses none; a hot standby allows none anyway).
-- What no trigger can bound is the commit's own end (the WAL's flush, a synchronous standby's answer): the deadline
-- covers everything up to it.
CREATE OR REPLACE FUNCTION amply_event_commit_deadline() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF coalesce(pg_catalog.current_query() OPERATOR(pg_catalog.!~*) '^\s*(commit|end)(\s+(work|transaction))?\s*;?\s*$',
                false)
       OR EXISTS (SELECT FROM pg_catalog.pg_cursors WHERE is_holdable) THEN
        RAISE EXCEPTION 'event % was checked against its commit deadline outside a COMMIT (SET CONSTRAINTS … IMMEDIATE?), '
            'or with a holdable cursor open: refused, as it could commit after the deadline', NEW.global_index
            USING ERRCODE = '55000',
                  HINT = 'append events in a transaction without holdable cursors and commit it with COMMIT; nothing of it was written';
    END IF;
    IF clock_timestamp() - least(now(), NEW.time_stamp::timestamptz)
           > least(coalesce(nullif(current_setting('amply.event_commit_limit', true), '')::interval, interval '15 seconds'),
                   interval '15 seconds') THEN
        RAISE EXCEPTION 'event % was created at % and its transaction began at %: too long ago to commit it now',
            NEW.global_index, NEW.time_stamp, now()
            USING ERRCODE = '25P04',
                  HINT = 'nothing of the transaction was written; run it again';
    END IF;
    RETURN NULL;
END
$$;

DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
