-- Set in the same transaction as the commands of the key's request (IdempotentCommands): a key whose
-- commands committed is never run again, even if its response was lost with the node that served it.
ALTER TABLE idempotency_keys ADD COLUMN recorded BOOLEAN NOT NULL DEFAULT false;
