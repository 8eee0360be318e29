-- The members' transactions list (GET /v1/organisations/{id}/transactions) filtered by type, direction
-- or status reads an organisation's rows in (created_at, id) order. With only transactions_organisation,
-- a filter whose rows are rare (the corrections of an organisation with a million donations, its
-- refunded donations) scanned every row of the organisation for one page and could meet the replica's
-- statement timeout (503). Each filter now has an index in the page's order, so a page reads its own
-- rows. Status is all but always 'completed', which transactions_organisation serves as before, so
-- its index holds the other rows only. The rebuild twins keep no such index (V17): clients never read
-- them.
CREATE INDEX transactions_organisation_type ON transactions (organisation_id, type, created_at, id);
CREATE INDEX transactions_organisation_direction ON transactions (organisation_id, direction, created_at, id);
CREATE INDEX transactions_organisation_unsettled ON transactions (organisation_id, status, created_at, id)
    WHERE status <> 'completed';
