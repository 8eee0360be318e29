-- Beside the event table as the migrations make it (V2, with V30's commit deadline, loaded by
-- commit-deadline.sh), a copy without the deadline: LIKE copies columns, identity and indexes, not triggers.
CREATE TABLE without_deadline (LIKE domain_event_entry INCLUDING ALL);
