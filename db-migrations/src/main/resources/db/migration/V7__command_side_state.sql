-- What the command side shows right after a write: a fund's balance, a donation's progress.
ALTER TABLE funds ADD COLUMN balance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE funds ADD COLUMN created_by VARCHAR(20);

ALTER TABLE donations ADD COLUMN fee_amount BIGINT NOT NULL DEFAULT 0 CHECK (fee_amount >= 0);
ALTER TABLE donations ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0);
ALTER TABLE donations ADD COLUMN visibility VARCHAR(20) NOT NULL DEFAULT 'public_full';
ALTER TABLE donations ADD COLUMN donor_covers_fees BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE donations ADD COLUMN failure_reason VARCHAR(500);
ALTER TABLE donations ADD CONSTRAINT donations_refund_within_amount CHECK (refunded_amount <= amount);
CREATE INDEX donations_payment_reference ON donations (payment_reference) WHERE payment_reference IS NOT NULL;

-- Users' mutable profile fields; API keys can be listed per user.
CREATE INDEX api_keys_user ON api_keys (user_id);
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMPTZ;

-- Webhook deliveries keep what they did (for support), not their payload.
ALTER TABLE stripe_events_processed ADD COLUMN outcome VARCHAR(200);

-- Which organisation a resource (fund, donation, …) belongs to, so that /v1/funds/{id} and
-- /v1/donations/{id} can be authorised before anything else is read. Ids and organisation ids
-- only: no tenant data, hence no row-level security.
CREATE TABLE resource_owners (
    id              VARCHAR(20) PRIMARY KEY,
    organisation_id VARCHAR(20) NOT NULL REFERENCES organisations (id)
);
GRANT SELECT, INSERT ON resource_owners TO amply_app;

-- A refund's entry points at its donation's donation_received entry; found by this index.
CREATE INDEX ledger_entries_received_donation ON ledger_entries (organisation_id, (metadata ->> 'donation_id'))
    WHERE type = 'donation_received';
