-- The Stripe payments each donation received, by every id that names one: a payment intent's (pi_…) and its
-- charge's (ch_…) are one payment. Until now a donation named only the id it was recorded with, and the check
-- that one payment is not recorded as two donations compared that id alone: a payment completed through
-- Stripe's webhook (pi_…) could be recorded again by hand under its charge's id (ch_…), its money counted twice
-- and never correctable. The primary key also settles two recordings at the same moment, which a look-up alone
-- did not.
CREATE TABLE stripe_payments (
    organisation_id VARCHAR(20)  NOT NULL,
    payment_id      VARCHAR(255) NOT NULL,
    donation_id     VARCHAR(20)  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, payment_id)
);

-- the ids donations were recorded with so far (the owner reads past the donations' row-level security for the
-- copy only; this transaction puts it back before anyone else sees the table)
ALTER TABLE donations NO FORCE ROW LEVEL SECURITY;
INSERT INTO stripe_payments (organisation_id, payment_id, donation_id)
SELECT organisation_id, payment_reference, id FROM donations
 WHERE payment_reference LIKE 'pi\_%' OR payment_reference LIKE 'ch\_%'
ON CONFLICT DO NOTHING;
ALTER TABLE donations FORCE ROW LEVEL SECURITY;

ALTER TABLE stripe_payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_payments FORCE ROW LEVEL SECURITY;
CREATE POLICY stripe_payments_isolation ON stripe_payments
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());

-- claimed with the donation's money, never given up: a refunded payment is still that donation's
GRANT SELECT, INSERT ON stripe_payments TO amply_app;
