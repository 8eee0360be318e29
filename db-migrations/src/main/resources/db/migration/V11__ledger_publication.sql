-- How far each chain has been published to the amply.ledger.entries topic (at least once, in
-- order per organisation).
ALTER TABLE ledger_heads ADD COLUMN published_sequence BIGINT NOT NULL DEFAULT 0;
CREATE INDEX ledger_heads_unpublished ON ledger_heads ((sequence - published_sequence)) WHERE sequence > published_sequence;
