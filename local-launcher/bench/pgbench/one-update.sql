-- The cheapest write transaction: one UPDATE and its commit.
\set f random(1, 50)
UPDATE rt_funds SET balance = balance + 1 WHERE id = :f;
