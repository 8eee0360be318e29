-- The keyset lists of V27/V28 read an organisation's members by user id and a business's programmes by
-- id: indexes in that order, so a page reads only its rows however long the list (they replace the
-- single-column indexes they extend).
CREATE INDEX memberships_organisation_user ON memberships (organisation_id, user_id);
DROP INDEX memberships_organisation;
CREATE INDEX matching_programmes_business_id ON matching_programmes (business_id, id);
DROP INDEX matching_programmes_business;
