-- Scratch tables for the pgbench scripts beside this file (see ../pgbench-floor.sh).
DROP TABLE IF EXISTS rt_rows; DROP TABLE IF EXISTS rt_funds;
CREATE TABLE rt_rows (id bigserial PRIMARY KEY, org text NOT NULL, amount bigint NOT NULL, status text NOT NULL, payload bytea);
CREATE TABLE rt_funds (id int PRIMARY KEY, balance bigint NOT NULL);
INSERT INTO rt_funds SELECT g, 0 FROM generate_series(1, 50) g;
