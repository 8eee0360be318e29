-- A replayed response must be the first response byte for byte: keep it as text, not jsonb
-- (which reorders members).
ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE TEXT USING response_body::text;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- A processed Stripe event records what it did once it is done.
GRANT UPDATE ON stripe_events_processed TO amply_app;
