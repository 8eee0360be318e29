-- Runs after every migrate: logins and passwords come from configuration, never from the repo.
ALTER ROLE amply_app WITH LOGIN PASSWORD '${app_password}';
ALTER ROLE amply_readonly WITH LOGIN PASSWORD '${readonly_password}';

-- A transaction the application left open and then went quiet in (its node died or was cut off
-- mid-transaction, so no close ever arrives) keeps its row locks until the server notices, which
-- TCP alone takes hours to: every donation to that fund would wait. PostgreSQL ends such a session
-- after a minute and rolls it back. The application never idles that long inside a transaction (its
-- longest wait is the Kafka acknowledgement timeout, 30 s). Readers are left alone: a reader holds
-- no lock a writer waits for, and a slow client may pause an export's cursor for longer.
ALTER ROLE amply_app SET idle_in_transaction_session_timeout = '1min';
