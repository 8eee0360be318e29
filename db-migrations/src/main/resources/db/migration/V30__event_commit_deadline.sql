-- An event takes its global index when it is inserted but is seen only once its transaction commits.
-- The query side's processors read the store in index order and keep the indexes they have not seen
-- (Axon's gaps) only for a while: a gap is given up once events read after it are older than the gap
-- timeout (60 s, query side's EventStoreConfiguration). An event whose transaction committed after
-- that would be skipped by the ledger, the read models and Kafka for good. So no transaction may
-- commit events later than 15 s after it began or after the events were created (their time_stamp,
-- the command node's clock): at COMMIT this deferred check refuses it (SQLSTATE 25P04) and it rolls
-- back whole; the command side answers "nothing written, send it again". 2 x 15 s stays under the
-- 60 s with room for clocks that differ by seconds. A session may lower the limit
-- (amply.event_commit_limit), never raise it. Cost: about 1 microsecond per event at commit.
CREATE FUNCTION amply_event_commit_deadline() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
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

CREATE CONSTRAINT TRIGGER domain_event_entry_commit_deadline
    AFTER INSERT ON domain_event_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION amply_event_commit_deadline();
