-- matched_amount counted a business's match as it arrived and never took a refund of that match
-- off: it is now the net of the match donations, as raised_amount is of all of them.
CREATE OR REPLACE VIEW campaign_progress WITH (security_invoker = true) AS
SELECT s.campaign_id, s.organisation_id, s.fund_id, s.name, s.status, s.currency, s.goal_amount,
       coalesce(c.raised_amount, 0)  AS raised_amount,
       coalesce(c.matched_amount, 0) AS matched_amount,
       coalesce(c.donor_count, 0)    AS donor_count,
       round(100.0 * coalesce(c.raised_amount, 0) / s.goal_amount, 1) AS percent_of_goal,
       s.starts_at, s.ends_at, s.goal_reached_at, s.created_at
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
