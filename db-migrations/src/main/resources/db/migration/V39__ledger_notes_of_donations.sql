-- A refund's reason names the donation it is about, so that erasing a donor (their name and e-mail
-- address on the organisation's donations) erases the reasons written about those donations too:
-- "refund for Jane Doe" is about her as much as her name is. Notes written before have none.
ALTER TABLE ledger_notes ADD COLUMN donation_id VARCHAR(20);
CREATE INDEX ledger_notes_donation ON ledger_notes (organisation_id, donation_id) WHERE donation_id IS NOT NULL;
