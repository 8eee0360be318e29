-- A rebuild's mark that its twins still hold what it replayed. The twins are unlogged (V17), and
-- PostgreSQL empties every unlogged table when it recovers from a crash (a promoted standby has them
-- empty too). A rebuild that goes on after such a restart (its later batches and the event stream
-- take new connections from the pool) would fill the emptied twins with only the events after it,
-- and its swap would then delete every live row the lost ones stood for. So a rebuild writes its mark
-- here, as unlogged as the twins, when it empties them, and its swap goes ahead only if the mark is
-- still there (docs/read-models.md).
CREATE UNLOGGED TABLE rebuild_runs (
    processing_group VARCHAR(100) PRIMARY KEY,
    run_id           UUID         NOT NULL,
    started_at       TIMESTAMPTZ  NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON rebuild_runs TO amply_app;
