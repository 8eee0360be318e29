-- Which organisation and donation a Stripe payment id (pi_…, ch_…) was recorded for, whatever the organisation.
-- Stripe's report of a failed refund carries the refund object, which names its payment and charge but no
-- donation (Amply does not make the refunds: an organisation makes them in Stripe). Until now such a report
-- could not be told from one about another application's payment on the same Stripe account, and both were
-- counted as "not applied" for someone to look at. A function rather than a grant: the webhook learns the one
-- payment's owner, and stripe_payments stays isolated per organisation for every other read.
SET LOCAL lock_timeout = '3s';

-- the function runs as this table's owner, whom FORCE ROW LEVEL SECURITY holds to the policies too
CREATE POLICY stripe_payments_owner_lookup ON stripe_payments FOR SELECT TO CURRENT_USER USING (true);

-- looked up by the payment alone (the primary key leads with the organisation); one row per recorded payment
CREATE INDEX stripe_payments_payment ON stripe_payments (payment_id);

CREATE FUNCTION amply_stripe_payment_owner(payment text) RETURNS TABLE (organisation_id text, donation_id text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT organisation_id, donation_id FROM stripe_payments WHERE payment_id = payment ORDER BY recorded_at
$$;
REVOKE ALL ON FUNCTION amply_stripe_payment_owner(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION amply_stripe_payment_owner(text) TO amply_app;
