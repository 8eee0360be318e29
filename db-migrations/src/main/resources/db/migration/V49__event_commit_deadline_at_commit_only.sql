-- V30's commit deadline is a deferred check: PostgreSQL runs it at COMMIT, where it refuses events whose
-- transaction commits too long after they were created. PostgreSQL 15 lets any session run
-- SET CONSTRAINTS ALL IMMEDIATE on a deferrable constraint, which moved the check to the insert, where it always
-- passes: a transaction could then insert events, wait past the deadline and commit them after the query side's
-- processors had given their indexes up, so they were skipped for good (only the cross-check would show it). The
-- check now refuses to run inside any statement but a COMMIT of its own: fired at an insert (SET CONSTRAINTS …
-- IMMEDIATE), or in a simple query holding more than the COMMIT, the transaction is refused. It runs with no
-- statement at all (current_query() null) at the implicit commit of the extended protocol's Sync, which is a
-- commit. The application commits with COMMIT alone (the JDBC driver's commit), so it never meets this. Names are
-- qualified: the caller's search_path is not this function's.
CREATE OR REPLACE FUNCTION amply_event_commit_deadline() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF coalesce(pg_catalog.current_query() OPERATOR(pg_catalog.!~*) '^\s*(commit|end)(\s+(work|transaction))?\s*;?\s*$',
                false) THEN
        RAISE EXCEPTION 'event % was checked against its commit deadline outside a COMMIT (SET CONSTRAINTS … IMMEDIATE?): '
            'refused, as it could commit after the deadline', NEW.global_index
            USING ERRCODE = '55000',
                  HINT = 'append events in a transaction and commit it with COMMIT; nothing of it was written';
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
