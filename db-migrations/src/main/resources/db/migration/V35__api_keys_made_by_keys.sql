-- A key a user makes with one of their own keys remembers that key, so that revoking a stolen key also
-- revokes every key it made (and those made by them): before, a thief's first act could be a key of
-- their own that outlived the revocation. Keys made before this, and keys platform staff make for
-- someone else, have no maker.
ALTER TABLE api_keys ADD COLUMN made_by_key_id VARCHAR(20) REFERENCES api_keys (id);
CREATE INDEX api_keys_made_by ON api_keys (made_by_key_id) WHERE made_by_key_id IS NOT NULL;
