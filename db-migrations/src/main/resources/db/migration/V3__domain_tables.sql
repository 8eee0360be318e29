-- Mutable tables: the command side's lookup state and the read models. Personal data (names,
-- e-mail addresses) lives only here, never in ledger entries or the events that feed them,
-- so erasing a person never touches the ledger.

CREATE TABLE users (
    id            VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'usr\_%'),
    email         VARCHAR(320) NOT NULL UNIQUE,
    name          VARCHAR(200) NOT NULL,
    platform_role VARCHAR(20)  CHECK (platform_role IN ('platform_admin')),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           VARCHAR(20) PRIMARY KEY CHECK (id LIKE 'key\_%'),
    user_id      VARCHAR(20) NOT NULL REFERENCES users (id),
    -- SHA-256 of the whole secret; the secret itself is shown once and never stored.
    secret_hash  CHAR(64)    NOT NULL UNIQUE,
    display_hint VARCHAR(16) NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);

CREATE TABLE organisations (
    id                  VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'org\_%'),
    name                VARCHAR(200) NOT NULL,
    country             CHAR(2)      NOT NULL,
    status              VARCHAR(20)  NOT NULL CHECK (status IN ('pending', 'verified', 'suspended')),
    default_visibility  VARCHAR(20)  NOT NULL
        CHECK (default_visibility IN ('public_full', 'public_aggregated', 'delayed_public', 'internal_only')),
    accepts_fundraisers BOOLEAN      NOT NULL DEFAULT false,
    verification_level  VARCHAR(20)  NOT NULL DEFAULT 'none',
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL
);

CREATE TABLE memberships (
    user_id         VARCHAR(20) NOT NULL REFERENCES users (id),
    organisation_id VARCHAR(20) NOT NULL REFERENCES organisations (id),
    role            VARCHAR(20) NOT NULL CHECK (role IN ('owner', 'admin', 'finance', 'content', 'viewer', 'auditor')),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE funds (
    id              VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'fund\_%'),
    organisation_id VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    name            VARCHAR(200) NOT NULL,
    type            VARCHAR(20)  NOT NULL CHECK (type IN ('general', 'project', 'restricted', 'emergency')),
    currency        CHAR(3)      NOT NULL CHECK (currency IN ('EUR', 'GBP', 'USD', 'CHF')),
    status          VARCHAR(20)  NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    restrictions    JSONB        NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX funds_organisation ON funds (organisation_id);

CREATE TABLE projects (
    id              VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'proj\_%'),
    organisation_id VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    fund_id         VARCHAR(20)  NOT NULL REFERENCES funds (id),
    name            VARCHAR(200) NOT NULL,
    budget_amount   BIGINT       NOT NULL CHECK (budget_amount >= 0),
    currency        CHAR(3)      NOT NULL,
    status          VARCHAR(20)  NOT NULL CHECK (status IN ('planning', 'active', 'completed', 'cancelled')),
    created_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX projects_organisation ON projects (organisation_id);

CREATE TABLE campaigns (
    id              VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'camp\_%'),
    organisation_id VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    fund_id         VARCHAR(20)  NOT NULL REFERENCES funds (id),
    name            VARCHAR(200) NOT NULL,
    goal_amount     BIGINT       NOT NULL CHECK (goal_amount > 0),
    currency        CHAR(3)      NOT NULL,
    status          VARCHAR(20)  NOT NULL CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
    starts_at       TIMESTAMPTZ,
    ends_at         TIMESTAMPTZ,
    created_at      TIMESTAMPTZ  NOT NULL
);
CREATE INDEX campaigns_organisation ON campaigns (organisation_id);

-- Businesses donate to many organisations, so they are not tenant data.
CREATE TABLE businesses (
    id         VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'biz\_%'),
    name       VARCHAR(200) NOT NULL,
    country    CHAR(2)      NOT NULL,
    status     VARCHAR(20)  NOT NULL CHECK (status IN ('pending', 'verified')),
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE donations (
    id                VARCHAR(20)  PRIMARY KEY CHECK (id LIKE 'don\_%'),
    organisation_id   VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    fund_id           VARCHAR(20)  NOT NULL REFERENCES funds (id),
    campaign_id       VARCHAR(20),
    business_id       VARCHAR(20),
    amount            BIGINT       NOT NULL CHECK (amount > 0),
    currency          CHAR(3)      NOT NULL,
    status            VARCHAR(20)  NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'refunded', 'partially_refunded')),
    payment_reference VARCHAR(255),
    -- Donor identity: mutable and erasable, never copied into events that feed the ledger.
    donor_name        VARCHAR(200),
    donor_email       VARCHAR(320),
    created_at        TIMESTAMPTZ  NOT NULL,
    updated_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX donations_organisation ON donations (organisation_id, created_at);

CREATE TABLE transactions (
    id              VARCHAR(20) PRIMARY KEY CHECK (id LIKE 'txn\_%'),
    organisation_id VARCHAR(20) NOT NULL REFERENCES organisations (id),
    fund_id         VARCHAR(20) REFERENCES funds (id),
    direction       VARCHAR(10) NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    type            VARCHAR(50) NOT NULL,
    amount          BIGINT      NOT NULL,
    currency        CHAR(3)     NOT NULL,
    status          VARCHAR(20) NOT NULL,
    allocation      JSONB       NOT NULL DEFAULT '{}',
    source_event_id VARCHAR(255) NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX transactions_organisation ON transactions (organisation_id, created_at, id);

CREATE TABLE checkpoints (
    id              VARCHAR(20) PRIMARY KEY CHECK (id LIKE 'chk\_%'),
    organisation_id VARCHAR(20) NOT NULL REFERENCES organisations (id),
    sequence        BIGINT      NOT NULL CHECK (sequence > 0),
    entry_hash      VARCHAR(71) NOT NULL CHECK (entry_hash ~ '^sha256:[a-f0-9]{64}$'),
    created_at      TIMESTAMPTZ NOT NULL,
    key_id          VARCHAR(64) NOT NULL,
    signature       VARCHAR(128) NOT NULL
);
CREATE INDEX checkpoints_organisation ON checkpoints (organisation_id, sequence DESC);

-- Idempotency-Key: the first response to a (credential, key) is kept and replayed.
CREATE TABLE idempotency_keys (
    user_id         VARCHAR(20)  NOT NULL REFERENCES users (id),
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash    CHAR(64)     NOT NULL,
    response_status INTEGER,
    response_body   JSONB,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, idempotency_key)
);

CREATE TABLE stripe_events_processed (
    event_id     VARCHAR(255) PRIMARY KEY,
    type         VARCHAR(100) NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
