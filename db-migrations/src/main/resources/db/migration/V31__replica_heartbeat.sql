-- The query side writes the time here on the primary every second; on the replica, the row's age is
-- how far behind the replica is even when it has stopped receiving (then all it received is replayed,
-- and PostgreSQL's own functions read as no lag at all). One row, no tenant data.
CREATE TABLE replica_heartbeat (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    at TIMESTAMPTZ NOT NULL
);
INSERT INTO replica_heartbeat (id, at) VALUES (1, now());
GRANT SELECT, UPDATE ON replica_heartbeat TO amply_app;
GRANT SELECT ON replica_heartbeat TO amply_readonly;
