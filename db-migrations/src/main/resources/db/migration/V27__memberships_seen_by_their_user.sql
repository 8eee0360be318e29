-- A user's own memberships across organisations (GET /v1/users/{id}/memberships): a transaction may act
-- for a user (amply_set_user, for that transaction only) and then reads that user's memberships in every
-- organisation. Reading only: the policy is FOR SELECT, so changing a membership still needs the
-- organisation's context (memberships_isolation), and no other table is opened by it.
CREATE FUNCTION amply_current_user() RETURNS text
    LANGUAGE sql STABLE
AS $$ SELECT NULLIF(current_setting('app.current_user_id', true), '') $$;

CREATE FUNCTION amply_set_user(user_id text) RETURNS void
    LANGUAGE sql VOLATILE
AS $$ SELECT set_config('app.current_user_id', COALESCE(user_id, ''), true) $$;

CREATE POLICY memberships_of_their_user ON memberships FOR SELECT USING (user_id = amply_current_user());
