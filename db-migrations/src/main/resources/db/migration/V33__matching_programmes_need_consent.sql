-- A matching programme matches an organisation's donations only once the organisation accepted it
-- (MatchingProgrammeAcceptedEvent), and never after it declined it: an organisation decides whose money
-- arrives in its name, and a programme's used_amount tells its business the amount of every donation it
-- matched. Programmes started before this matched at once (their events carry no awaitsConsent), so the
-- rows there are already active; new rows name their status.
ALTER TABLE matching_programmes
    ADD COLUMN status VARCHAR(10) NOT NULL DEFAULT 'active' CHECK (status IN ('proposed', 'active', 'declined')),
    ADD COLUMN decided_at TIMESTAMPTZ,
    ADD COLUMN decided_by VARCHAR(20);
ALTER TABLE matching_programmes ALTER COLUMN status DROP DEFAULT;

-- GET /v1/organisations/{id}/matching-programmes: an organisation's programmes by id, a page reading only its rows
CREATE INDEX matching_programmes_organisation_id ON matching_programmes (organisation_id, id);
