-- The members' transactions list's table as V3/V13 define it (columns and the indexes it had before
-- V34), with one large organisation: ROWS completed donations over a year, and among them, spread
-- evenly, RARE refunds (outgoing) and RARE refunded donations; and SMALL rows of 20 other organisations.
CREATE TABLE transactions (
    id              VARCHAR(20) PRIMARY KEY,
    organisation_id VARCHAR(20) NOT NULL,
    fund_id         VARCHAR(20),
    direction       VARCHAR(10) NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    type            VARCHAR(50) NOT NULL,
    amount          BIGINT      NOT NULL,
    currency        CHAR(3)     NOT NULL,
    status          VARCHAR(20) NOT NULL,
    allocation      JSONB       NOT NULL DEFAULT '{}',
    source_event_id VARCHAR(255) NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL
);
INSERT INTO transactions
SELECT 'txn_b' || i, 'org_big', 'fund_big',
       CASE WHEN i % (:rows / :rare) = 7 THEN 'outgoing' ELSE 'incoming' END,
       CASE WHEN i % (:rows / :rare) = 7 THEN 'refund' ELSE 'donation' END,
       1000 + i % 5000, 'EUR',
       CASE WHEN i % (:rows / :rare) = 11 THEN 'refunded' ELSE 'completed' END,
       jsonb_build_object('fund_id', 'fund_big', 'donation_id', 'don_b' || i), 'evt-b-' || i,
       timestamptz '2025-01-01' + i * (interval '365 days' / :rows)
  FROM generate_series(1, :rows) AS i;
INSERT INTO transactions
SELECT 'txn_s' || i, 'org_s' || (i % 20), 'fund_s' || (i % 20), 'incoming', 'donation', 500, 'EUR', 'completed',
       jsonb_build_object('fund_id', 'fund_s' || (i % 20)), 'evt-s-' || i, timestamptz '2025-01-01' + i * interval '1 minute'
  FROM generate_series(1, :small) AS i;
CREATE INDEX transactions_organisation ON transactions (organisation_id, created_at, id);
CREATE INDEX transactions_fund ON transactions (organisation_id, fund_id, created_at, id);
VACUUM ANALYZE transactions;
