-- The Kafka publisher looks every 200 ms for chains whose head moved past their published
-- position (V21). Comparing every head with its position cost ≈ 20 ms at 10,000 chains and
-- 120-200 ms at 100,000, at each look, idle or not; by this index it looks only at the heads
-- updated in the last minute, and compares them all only every 30 s (LedgerEntryPublisher).
CREATE INDEX ledger_heads_updated ON ledger_heads (updated_at);
