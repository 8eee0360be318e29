-- The three roles of the design (ARCHITECTURE.md §5). They are created without LOGIN here; the
-- afterMigrate callback gives them LOGIN and the passwords from configuration on every migrate,
-- so rotating a password is "change the configuration, run migrate".
-- amply_admin (the role running this) owns every object; it needs CREATEROLE for this step.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amply_app') THEN
        CREATE ROLE amply_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amply_readonly') THEN
        CREATE ROLE amply_readonly NOLOGIN;
    END IF;
END
$$;

-- The organisation a transaction acts for. Read with missing_ok = true so that "no context"
-- yields NULL, which matches no row, instead of an error.
CREATE FUNCTION amply_current_org() RETURNS text
    LANGUAGE sql STABLE
AS $$ SELECT NULLIF(current_setting('app.current_org_id', true), '') $$;

-- Sets the organisation context for the current transaction only (set_config(..., true)), so a
-- pooled connection never carries one borrower's context to the next.
CREATE FUNCTION amply_set_org(org_id text) RETURNS void
    LANGUAGE sql VOLATILE
AS $$ SELECT set_config('app.current_org_id', COALESCE(org_id, ''), true) $$;
