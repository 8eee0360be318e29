-- Which organisation and donation a Stripe payment id (pi_…, ch_…) was recorded for, whatever the organisation.
-- Stripe's report of a failed refund carries the refund object, which names its payment and charge but no
-- donation (Amply does not make the refunds: an organisation makes them in Stripe). Until now such a report
-- could not be told from one about another application's payment on the same Stripe account, and both were
-- counted as "not applied" for someone to look at. A function rather than a grant: the webhook learns the one
-- payment's owners, and stripe_payments stays isolated per organisation for every other read.
SET LOCAL lock_timeout = '3s';

-- the function runs as this table's owner (the role that runs the migrations), whom FORCE ROW LEVEL SECURITY
-- holds to the policies too; a later change of owner must give the new one this policy as well
CREATE POLICY stripe_payments_owner_lookup ON stripe_payments FOR SELECT TO CURRENT_USER USING (true);

-- looked up by the payment alone (the primary key leads with the organisation); one row per recorded payment
CREATE INDEX stripe_payments_payment ON stripe_payments (payment_id);

-- pg_temp last, and every name qualified: with a search_path that leaves pg_temp out, PostgreSQL looks in the
-- caller's temporary schema first, and a temporary view named stripe_payments would run as the owner
CREATE FUNCTION amply_stripe_payment_owner(payment text) RETURNS TABLE (organisation_id text, donation_id text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT p.organisation_id, p.donation_id FROM public.stripe_payments p
     WHERE p.payment_id = payment ORDER BY p.recorded_at, p.organisation_id
$$;
REVOKE ALL ON FUNCTION amply_stripe_payment_owner(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION amply_stripe_payment_owner(text) TO amply_app;

-- V26's function had the same search_path (its tables unqualified), granted to amply_app and amply_readonly
ALTER FUNCTION amply_ledger_parked_from(text) SET search_path = public, pg_temp;
