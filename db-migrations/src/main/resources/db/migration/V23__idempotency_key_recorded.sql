-- recorded: set in the same transaction as the commands of the key's request (IdempotentCommands), so
-- a key whose commands committed is never run again, even if its response was lost with the node.
-- claim: the token of the request that holds the key; the commands mark only their own claim, so a
-- request so late that a retry took the key over rolls back. NULL once a request whose commands
-- committed ended without a response (a 5xx): nobody holds it, and retries are told it was recorded.
ALTER TABLE idempotency_keys
    ADD COLUMN recorded BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN claim    BIGINT;
