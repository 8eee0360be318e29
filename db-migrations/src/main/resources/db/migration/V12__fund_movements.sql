-- Query side read model: every money movement of a fund, one row per ledger-relevant event part,
-- so balances are sums (idempotent: a redelivered event inserts nothing) and always reconcile
-- with the ledger's entries for that fund.
CREATE TABLE fund_movements (
    source_event_id VARCHAR(255) NOT NULL,
    source_index    SMALLINT     NOT NULL,
    organisation_id VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    fund_id         VARCHAR(20)  NOT NULL,
    amount          BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    kind            VARCHAR(50)  NOT NULL,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (source_event_id, source_index)
);
CREATE INDEX fund_movements_fund ON fund_movements (organisation_id, fund_id);
ALTER TABLE fund_movements ENABLE ROW LEVEL SECURITY;
ALTER TABLE fund_movements FORCE ROW LEVEL SECURITY;
CREATE POLICY fund_movements_isolation ON fund_movements
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());
GRANT SELECT, INSERT, DELETE ON fund_movements TO amply_app;
GRANT SELECT ON fund_movements TO amply_readonly;

-- Balance, money in and money out per fund, in its currency.
CREATE VIEW fund_balances WITH (security_invoker = true) AS
SELECT organisation_id, fund_id, currency,
       sum(amount)                                  AS balance,
       coalesce(sum(amount) FILTER (WHERE amount > 0), 0)  AS incoming,
       coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS outgoing,
       count(*)                                     AS movements
  FROM fund_movements
 GROUP BY organisation_id, fund_id, currency;
GRANT SELECT ON fund_balances TO amply_app, amply_readonly;
