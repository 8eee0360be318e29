-- Why a campaign or a project was cancelled, or an organisation suspended, in the words of whoever did it.
-- Until now the reason went into the event (CampaignCancelledEvent, ProjectCancelledEvent,
-- OrganisationSuspendedEvent), which the event store and Kafka keep for good, so a reason that named
-- someone could never be taken out. It is kept here instead, answered with the campaign, project or
-- organisation, and the events carry none. Events recorded before keep theirs.
--
-- One row per resource: a suspension's row goes when the organisation is reinstated. No foreign key to
-- organisations: its check would take a share lock on the organisation's row, which a suspension must not
-- wait for before it closes the organisation's gate (OrganisationGate); the id is the row-level key only.
CREATE TABLE status_reasons (
    organisation_id VARCHAR(20)  NOT NULL,
    resource_id     VARCHAR(20)  NOT NULL,
    status          VARCHAR(20)  NOT NULL CHECK (status IN ('cancelled', 'suspended')),
    reason          VARCHAR(500) NOT NULL,
    recorded_by     VARCHAR(20)  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, resource_id)
);

ALTER TABLE status_reasons ENABLE ROW LEVEL SECURITY;
ALTER TABLE status_reasons FORCE ROW LEVEL SECURITY;
CREATE POLICY status_reasons_isolation ON status_reasons
    USING (organisation_id = amply_current_org()) WITH CHECK (organisation_id = amply_current_org());

GRANT SELECT, INSERT, UPDATE, DELETE ON status_reasons TO amply_app;
