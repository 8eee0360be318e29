-- Campaigns, projects, businesses and matching programmes: what the command side reads right
-- after a write (the donation endpoint's campaign and business checks, the money flows' search
-- for matching programmes, GET /v1/campaigns/{id} and friends).

-- What a campaign raised (gross, minor units) and from how many donations not refunded in full,
-- as the Campaign aggregate counts them; when its goal was first reached.
ALTER TABLE campaigns ADD COLUMN raised_amount BIGINT NOT NULL DEFAULT 0 CHECK (raised_amount >= 0);
ALTER TABLE campaigns ADD COLUMN donor_count INTEGER NOT NULL DEFAULT 0 CHECK (donor_count >= 0);
ALTER TABLE campaigns ADD COLUMN goal_reached_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD CONSTRAINT campaigns_window CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at);

-- A business is run by the user who registered it; platform staff verify it. Nullable only
-- because rows could predate this column (none do: businesses arrive with this migration).
ALTER TABLE businesses ADD COLUMN manager_user_id VARCHAR(20) REFERENCES users (id);
ALTER TABLE businesses ADD COLUMN verified_at TIMESTAMPTZ;
CREATE INDEX businesses_manager ON businesses (manager_user_id);

-- A business matches donations to one organisation (all of them, or one campaign's) at a ratio,
-- up to a cap. Tenant data of that organisation: forced row-level security as in V5.
CREATE TABLE matching_programmes (
    id              VARCHAR(20) PRIMARY KEY CHECK (id LIKE 'mp\_%'),
    business_id     VARCHAR(20) NOT NULL REFERENCES businesses (id),
    organisation_id VARCHAR(20) NOT NULL REFERENCES organisations (id),
    campaign_id     VARCHAR(20) REFERENCES campaigns (id),
    -- 100 matches 1:1, 50 matches 1:2
    ratio_percent   INTEGER     NOT NULL CHECK (ratio_percent BETWEEN 1 AND 1000),
    cap_amount      BIGINT      NOT NULL CHECK (cap_amount > 0),
    used_amount     BIGINT      NOT NULL DEFAULT 0 CHECK (used_amount >= 0),
    currency        CHAR(3)     NOT NULL CHECK (currency IN ('EUR', 'GBP', 'USD', 'CHF')),
    starts_at       TIMESTAMPTZ,
    ends_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT matching_programmes_within_cap CHECK (used_amount <= cap_amount),
    CONSTRAINT matching_programmes_window CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX matching_programmes_scope ON matching_programmes (organisation_id, currency, created_at, id);
CREATE INDEX matching_programmes_business ON matching_programmes (business_id);

ALTER TABLE matching_programmes ENABLE ROW LEVEL SECURITY;
ALTER TABLE matching_programmes FORCE ROW LEVEL SECURITY;
CREATE POLICY matching_programmes_isolation ON matching_programmes
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());

GRANT SELECT, INSERT, UPDATE ON matching_programmes TO amply_app;
GRANT SELECT ON matching_programmes TO amply_readonly;
