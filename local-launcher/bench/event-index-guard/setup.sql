-- Beside the event table as the migrations make it (V2 with V30's commit deadline and V46's index guard, loaded by
-- event-index-guard.sh), a copy with the commit deadline only: LIKE copies columns, identity and indexes, not
-- triggers, so the deadline's trigger is made on it again as V30 makes it.
CREATE TABLE without_index_guard (LIKE domain_event_entry INCLUDING ALL);
CREATE CONSTRAINT TRIGGER without_index_guard_commit_deadline
    AFTER INSERT ON without_index_guard
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION amply_event_commit_deadline();
