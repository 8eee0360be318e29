-- How far each chain has been published to amply.ledger.entries, in a table of its own. In
-- ledger_heads (V11) the publisher's update of its position waited for the ledger writer's lock
-- on the same row, held until the writer's batch commits (≈ 8 ms per chain under load).
-- Public, as the heads are: positions in public chains, no row-level security. Roll out the query
-- side's new version before migrating: the previous one reads the dropped column.
CREATE TABLE ledger_publication (
    organisation_id    VARCHAR(20) PRIMARY KEY REFERENCES organisations (id),
    published_sequence BIGINT      NOT NULL CHECK (published_sequence > 0),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- no position moves between the copy and the drop (a node still running the previous version)
LOCK TABLE ledger_heads IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO ledger_publication (organisation_id, published_sequence)
SELECT organisation_id, published_sequence FROM ledger_heads WHERE published_sequence > 0;
DROP INDEX ledger_heads_unpublished;
ALTER TABLE ledger_heads DROP COLUMN published_sequence;
GRANT SELECT, INSERT, UPDATE ON ledger_publication TO amply_app;
GRANT SELECT ON ledger_publication TO amply_readonly;
