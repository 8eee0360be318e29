-- A role given to someone who has none in the organisation is an invitation until they accept it
-- (POST /v1/users/{id}/invitations/{organisation_id}/accept): before, any owner could give any user id
-- a role and then read that person's name and e-mail address in the member list, without their consent.
-- An invitation holds no personal data of the invitee: the organisation sees only the id it typed.
-- Platform staff's grants, and a change of an existing member's role, still take effect at once.
CREATE TABLE membership_invitations (
    organisation_id   VARCHAR(20)  NOT NULL REFERENCES organisations (id),
    user_id           VARCHAR(20)  NOT NULL REFERENCES users (id),
    role              VARCHAR(20)  NOT NULL CHECK (role IN ('owner', 'admin', 'finance', 'content', 'viewer', 'auditor')),
    -- what the invitee is shown, since they cannot read the organisation before accepting
    organisation_name VARCHAR(200) NOT NULL,
    invited_by        VARCHAR(20)  NOT NULL REFERENCES users (id),
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX membership_invitations_user ON membership_invitations (user_id, organisation_id);

-- the organisation's own, as memberships (V5); the invitee reads and declines theirs in every organisation
-- while a transaction acts for them (V27), and changes nothing else
ALTER TABLE membership_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE membership_invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY membership_invitations_isolation ON membership_invitations
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());
CREATE POLICY membership_invitations_of_their_user ON membership_invitations FOR SELECT
    USING (user_id = amply_current_user());
CREATE POLICY membership_invitations_declined_by_their_user ON membership_invitations FOR DELETE
    USING (user_id = amply_current_user());

GRANT SELECT, INSERT, UPDATE, DELETE ON membership_invitations TO amply_app;
