-- A campaign is public once it has been activated. Until now the public reads showed every campaign
-- but a draft, so a draft cancelled before it was ever activated (an appeal the organisation never
-- announced) became public as "cancelled", name and goal included, and counted in the organisation's
-- public campaign count. `announced` says it was activated; the public reads ask for it instead.
ALTER TABLE campaign_summaries ADD COLUMN announced BOOLEAN NOT NULL DEFAULT false;
-- the rebuild's twin has the live table's columns, in the same order (a swap copies whole rows)
ALTER TABLE campaign_summaries_rebuild ADD COLUMN announced BOOLEAN NOT NULL DEFAULT false;

-- the campaigns activated so far: active or completed ones were, a cancelled one if its events say so (the
-- owner reads past the row-level security for this update only, and puts it back in this transaction)
ALTER TABLE campaign_summaries NO FORCE ROW LEVEL SECURITY;
UPDATE campaign_summaries s SET announced = true
 WHERE s.status IN ('active', 'completed')
    OR (s.status = 'cancelled' AND EXISTS (
           SELECT 1 FROM domain_event_entry e
            WHERE e.aggregate_identifier = s.campaign_id AND e.payload_type LIKE '%.CampaignActivatedEvent'));
ALTER TABLE campaign_summaries FORCE ROW LEVEL SECURITY;

-- and the command side's campaigns, which answer a business proposing a programme for one
ALTER TABLE campaigns ADD COLUMN announced BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE campaigns NO FORCE ROW LEVEL SECURITY;
UPDATE campaigns c SET announced = true
 WHERE c.status IN ('active', 'completed')
    OR (c.status = 'cancelled' AND EXISTS (
           SELECT 1 FROM domain_event_entry e
            WHERE e.aggregate_identifier = c.id AND e.payload_type LIKE '%.CampaignActivatedEvent'));
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;

CREATE OR REPLACE VIEW campaign_progress WITH (security_invoker = true) AS
SELECT s.campaign_id, s.organisation_id, s.fund_id, s.name, s.status, s.currency, s.goal_amount,
       coalesce(c.raised_amount, 0)  AS raised_amount,
       coalesce(c.matched_amount, 0) AS matched_amount,
       coalesce(c.donor_count, 0)    AS donor_count,
       round(100.0 * coalesce(c.raised_amount, 0) / s.goal_amount, 1) AS percent_of_goal,
       s.starts_at, s.ends_at, s.goal_reached_at, s.created_at, s.announced
  FROM campaign_summaries s
  LEFT JOIN (SELECT organisation_id, campaign_id,
                    sum(net)                                        AS raised_amount,
                    coalesce(sum(net) FILTER (WHERE is_match), 0)   AS matched_amount,
                    count(*) FILTER (WHERE net > 0)                 AS donor_count
               FROM (SELECT organisation_id, campaign_id, donation_id,
                            sum(CASE WHEN kind = 'refund' THEN -amount ELSE amount END) AS net,
                            bool_or(kind = 'match')                                      AS is_match
                       FROM campaign_contributions
                      GROUP BY organisation_id, campaign_id, donation_id) per_donation
              GROUP BY organisation_id, campaign_id) c
    ON c.organisation_id = s.organisation_id AND c.campaign_id = s.campaign_id;
