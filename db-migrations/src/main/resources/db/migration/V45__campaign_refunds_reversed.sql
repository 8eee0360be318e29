-- A Stripe refund that fails after it was booked (a closed card: the money is back on the account) is booked
-- back (DonationRefundReversedEvent) and counts towards its campaign again: a contribution of its own kind,
-- 'refund_reversed', which campaign_progress (V42) adds as it adds every kind but 'refund'. The live table and
-- its rebuild twin (V13, LIKE … INCLUDING ALL) each carry the check under their own name.
-- Both tables' exclusive lock, for a scan of their rows: give up if a transaction holds them, and run migrate again.
SET LOCAL lock_timeout = '3s';
DO $$
DECLARE
    t text;
    c text;
BEGIN
    FOREACH t IN ARRAY ARRAY['campaign_contributions', 'campaign_contributions_rebuild']
    LOOP
        FOR c IN SELECT conname FROM pg_constraint
                  WHERE conrelid = format('public.%I', t)::regclass AND contype = 'c'
                    AND pg_get_constraintdef(oid) LIKE '%kind%'
        LOOP
            EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', t, c);
        END LOOP;
        EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I CHECK (kind IN (''donation'', ''match'', ''refund'', ''refund_reversed''))',
                       t, t || '_kind_check');
    END LOOP;
END
$$;
