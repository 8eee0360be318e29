-- A business's own matching programmes across organisations (GET /v1/businesses/{id}/matching-programmes):
-- as V27 for a user's memberships, a transaction may act for a business (amply_set_business, for that
-- transaction only) and then reads that business's programmes in every organisation. Reading only: a
-- programme's row still changes only under its organisation's context (matching_programmes_isolation).
CREATE FUNCTION amply_current_business() RETURNS text
    LANGUAGE sql STABLE
AS $$ SELECT NULLIF(current_setting('app.current_business_id', true), '') $$;

CREATE FUNCTION amply_set_business(business_id text) RETURNS void
    LANGUAGE sql VOLATILE
AS $$ SELECT set_config('app.current_business_id', COALESCE(business_id, ''), true) $$;

CREATE POLICY matching_programmes_of_their_business ON matching_programmes FOR SELECT
    USING (business_id = amply_current_business());
-- (matching_programmes_business and businesses_manager, V8, serve the two lists)
