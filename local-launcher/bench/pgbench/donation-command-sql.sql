-- A donation's command-side SQL as the command side sends it: the API key look-up (autocommit), then
-- in one transaction the organisation setting with the check, the lookup row's insert and update, the
-- fund's balance, the matching-programme look-up, three event rows in one statement (about the size
-- of Axon's), the commit. 9 round trips here: pgbench sends BEGIN on its own, the JDBC driver sends
-- it with the first statement, so the service's own are 8. Tables from setup.sql.
\set f random(1, 50)
SELECT id, balance FROM rt_funds WHERE id = :f;
BEGIN;
SELECT set_config('app.x', 'org', true), id, balance FROM rt_funds WHERE id = :f;
INSERT INTO rt_rows (org, amount, status) VALUES ('org', 1000, 'pending') RETURNING id \gset
UPDATE rt_rows SET status = 'completed' WHERE id = :id;
UPDATE rt_funds SET balance = balance + 990 WHERE id = :f;
SELECT count(*) FROM rt_rows WHERE id = -1;
INSERT INTO rt_rows (org, amount, status, payload) VALUES ('org', 1, 'e', decode(repeat('ab', 600), 'hex')), ('org', 2, 'e', decode(repeat('ab', 600), 'hex')), ('org', 3, 'e', decode(repeat('ab', 600), 'hex'));
END;
