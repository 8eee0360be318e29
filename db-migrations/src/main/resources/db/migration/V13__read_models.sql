-- Query-side read models (campaigns, projects, organisations, transactions) and the views
-- analysts query on the replica. Each read model belongs to one processing group, is written
-- idempotently on the primary (rows keyed by the event they come from, or upserts of absolute
-- values), and has a twin "<table>_rebuild" that a rebuild fills from the event store while the
-- live table keeps serving, then swaps in (docs/read-models.md). Read models never default a
-- column to now(): a rebuild must reproduce them exactly.

-- Tenant isolation for a read-model table, as in V5.
CREATE FUNCTION amply_isolate(t text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (organisation_id = amply_current_org()) '
                   'WITH CHECK (organisation_id = amply_current_org())', t || '_isolation', t);
END
$$;

-- Organisations: the public directory and per-currency totals. Both are public by design (a
-- profile, and sums and counts, never an entry), so neither has row-level security.
CREATE TABLE organisation_profiles (
    organisation_id     VARCHAR(20)  PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    country             CHAR(2)      NOT NULL,
    status              VARCHAR(20)  NOT NULL,
    verification_level  VARCHAR(20)  NOT NULL,
    default_visibility  VARCHAR(20)  NOT NULL,
    accepts_fundraisers BOOLEAN      NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL
);
CREATE INDEX organisation_profiles_listing ON organisation_profiles (created_at, organisation_id);
CREATE INDEX organisation_profiles_country ON organisation_profiles (country, created_at, organisation_id);

CREATE TABLE organisation_totals (
    organisation_id         VARCHAR(20) NOT NULL,
    currency                CHAR(3)     NOT NULL,
    received_amount         BIGINT      NOT NULL DEFAULT 0,
    donation_count          BIGINT      NOT NULL DEFAULT 0,
    refunded_amount         BIGINT      NOT NULL DEFAULT 0,
    fees_amount             BIGINT      NOT NULL DEFAULT 0,
    -- money spent (expenses and transfers out) by the visibility of its entry
    spent_public_full       BIGINT      NOT NULL DEFAULT 0,
    spent_public_aggregated BIGINT      NOT NULL DEFAULT 0,
    spent_delayed_public    BIGINT      NOT NULL DEFAULT 0,
    spent_internal_only     BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (organisation_id, currency)
);
-- The events the totals already count: a redelivered event adds nothing.
CREATE TABLE organisation_totals_applied (
    source_event_id VARCHAR(255) PRIMARY KEY
);

-- Campaigns: the campaign as created and moved through its states, and one row per donation,
-- refund or match counted towards it. Progress is a view over both.
CREATE TABLE campaign_summaries (
    campaign_id     VARCHAR(20)  PRIMARY KEY,
    organisation_id VARCHAR(20)  NOT NULL,
    fund_id         VARCHAR(20)  NOT NULL,
    name            VARCHAR(200) NOT NULL,
    goal_amount     BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    starts_at       TIMESTAMPTZ,
    ends_at         TIMESTAMPTZ,
    goal_reached_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX campaign_summaries_organisation ON campaign_summaries (organisation_id, created_at, campaign_id);

CREATE TABLE campaign_contributions (
    source_event_id VARCHAR(255) NOT NULL,
    source_index    SMALLINT     NOT NULL,
    organisation_id VARCHAR(20)  NOT NULL,
    campaign_id     VARCHAR(20)  NOT NULL,
    donation_id     VARCHAR(20)  NOT NULL,
    kind            VARCHAR(20)  NOT NULL CHECK (kind IN ('donation', 'match', 'refund')),
    amount          BIGINT       NOT NULL CHECK (amount > 0),
    occurred_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (source_event_id, source_index)
);
CREATE INDEX campaign_contributions_campaign ON campaign_contributions (organisation_id, campaign_id);

-- Projects: budget and what expenses booked against them.
CREATE TABLE project_summaries (
    project_id      VARCHAR(20)  PRIMARY KEY,
    organisation_id VARCHAR(20)  NOT NULL,
    fund_id         VARCHAR(20)  NOT NULL,
    name            VARCHAR(200) NOT NULL,
    budget_amount   BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX project_summaries_organisation ON project_summaries (organisation_id, created_at, project_id);

CREATE TABLE project_spending (
    source_event_id VARCHAR(255) PRIMARY KEY,
    organisation_id VARCHAR(20)  NOT NULL,
    project_id      VARCHAR(20)  NOT NULL,
    amount          BIGINT       NOT NULL CHECK (amount > 0),
    occurred_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX project_spending_project ON project_spending (organisation_id, project_id);

-- Transactions (the seed's table): a rebuild replaces its rows, so the app may delete them.
CREATE INDEX transactions_fund ON transactions (organisation_id, fund_id, created_at, id);

SELECT amply_isolate(t) FROM unnest(ARRAY['campaign_summaries', 'campaign_contributions', 'project_summaries',
                                          'project_spending']) AS t;

-- The rebuild twins: same columns, constraints and indexes, same isolation; written only by a
-- rebuild, never read by clients.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organisation_profiles', 'organisation_totals', 'organisation_totals_applied',
                             'campaign_summaries', 'campaign_contributions', 'project_summaries', 'project_spending',
                             'transactions', 'fund_movements']
    LOOP
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING ALL)', t || '_rebuild', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I TO amply_app', t || '_rebuild');
    END LOOP;
END
$$;
SELECT amply_isolate(t || '_rebuild')
  FROM unnest(ARRAY['campaign_summaries', 'campaign_contributions', 'project_summaries', 'project_spending',
                    'transactions', 'fund_movements']) AS t;

GRANT SELECT, INSERT, UPDATE, DELETE ON organisation_profiles, organisation_totals, organisation_totals_applied,
                                        campaign_summaries, campaign_contributions, project_summaries, project_spending
    TO amply_app;
GRANT DELETE ON transactions TO amply_app;
GRANT SELECT ON organisation_profiles, organisation_totals, campaign_summaries, campaign_contributions,
                project_summaries, project_spending TO amply_readonly;
-- Freshness: a read reports the position its projection reached on the replica; the query side
-- learns a donation's organisation for its public receipt.
GRANT SELECT ON token_entry, resource_owners TO amply_readonly;

-- Views for the API and for analysts (docs/analysts.md). security_invoker: row-level security of
-- the tables underneath binds whoever queries the view.
CREATE VIEW campaign_progress WITH (security_invoker = true) AS
SELECT s.campaign_id, s.organisation_id, s.fund_id, s.name, s.status, s.currency, s.goal_amount,
       coalesce(c.raised_amount, 0)  AS raised_amount,
       coalesce(c.matched_amount, 0) AS matched_amount,
       coalesce(c.donor_count, 0)    AS donor_count,
       round(100.0 * coalesce(c.raised_amount, 0) / s.goal_amount, 1) AS percent_of_goal,
       s.starts_at, s.ends_at, s.goal_reached_at, s.created_at
  FROM campaign_summaries s
  LEFT JOIN (SELECT organisation_id, campaign_id,
                    sum(net)                          AS raised_amount,
                    sum(matched)                      AS matched_amount,
                    count(*) FILTER (WHERE net > 0)   AS donor_count
               FROM (SELECT organisation_id, campaign_id, donation_id,
                            sum(CASE WHEN kind = 'refund' THEN -amount ELSE amount END) AS net,
                            coalesce(sum(amount) FILTER (WHERE kind = 'match'), 0)       AS matched
                       FROM campaign_contributions
                      GROUP BY organisation_id, campaign_id, donation_id) per_donation
              GROUP BY organisation_id, campaign_id) c
    ON c.organisation_id = s.organisation_id AND c.campaign_id = s.campaign_id;

CREATE VIEW project_budgets WITH (security_invoker = true) AS
SELECT p.project_id, p.organisation_id, p.fund_id, p.name, p.status, p.currency, p.budget_amount,
       coalesce(sp.spent, 0)                   AS spent_amount,
       p.budget_amount - coalesce(sp.spent, 0) AS remaining_amount,
       p.created_at
  FROM project_summaries p
  LEFT JOIN (SELECT organisation_id, project_id, sum(amount) AS spent
               FROM project_spending GROUP BY organisation_id, project_id) sp
    ON sp.organisation_id = p.organisation_id AND sp.project_id = p.project_id;

-- The ledger as analysts read it: one row per entry with its fund and month pulled out.
CREATE VIEW ledger AS
SELECT organisation_id, sequence, id, type, amount, currency, visibility,
       metadata ->> 'fund_id'                                  AS fund_id,
       date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
       created_at, metadata, entry_hash
  FROM ledger_entries;
ALTER VIEW ledger SET (security_invoker = true);

-- Per organisation, month (UTC), entry type and currency: the sum and number of entries.
CREATE VIEW monthly_totals WITH (security_invoker = true) AS
SELECT organisation_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month, type, currency,
       sum(amount) AS amount, count(*) AS entries
  FROM ledger_entries
 GROUP BY organisation_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, type, currency;

GRANT SELECT ON campaign_progress, project_budgets, ledger, monthly_totals TO amply_app, amply_readonly;
