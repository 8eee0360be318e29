-- A correction of a project's expense is a row of project_spending too, negative when it gives money
-- back (a reversal of 300 is −300): what a project spent stays the sum of its rows.
ALTER TABLE project_spending DROP CONSTRAINT project_spending_amount_check;
ALTER TABLE project_spending ADD CONSTRAINT project_spending_amount_check CHECK (amount <> 0);
ALTER TABLE project_spending_rebuild DROP CONSTRAINT project_spending_amount_check;
ALTER TABLE project_spending_rebuild ADD CONSTRAINT project_spending_amount_check CHECK (amount <> 0);
