-- An organisation's public totals add up every amount it ever received, refunded, paid in fees or spent.
-- One amount is at most 2^53 - 1 minor units, but a bigint sum overflowed past 2^63 - 1, about a
-- thousand of the largest donations (recorded by hand by a finance user, no money needed): the
-- directory's batch then failed on every retry and held up the directory of every organisation in its
-- segment. Numeric sums do not overflow; counts of events stay bigint.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organisation_totals', 'organisation_totals_rebuild']
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN received_amount TYPE NUMERIC, '
                       'ALTER COLUMN refunded_amount TYPE NUMERIC, ALTER COLUMN fees_amount TYPE NUMERIC, '
                       'ALTER COLUMN spent_public_full TYPE NUMERIC, ALTER COLUMN spent_public_aggregated TYPE NUMERIC, '
                       'ALTER COLUMN spent_delayed_public TYPE NUMERIC, ALTER COLUMN spent_internal_only TYPE NUMERIC', t);
    END LOOP;
END
$$;
