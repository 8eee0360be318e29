#!/usr/bin/env bash
# Runs once, when the primary's data directory is created: a replication role and pg_hba line.
set -euo pipefail
# The password goes in as a psql variable (:'pw' quotes it), never spliced into the SQL; and the server logs DDL
# (log_statement = ddl): not this statement, which carries it.
psql -v ON_ERROR_STOP=1 -U postgres -v pw="${REPLICATION_PASSWORD}" <<'SQL'
SET log_statement = 'none';
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
# the replica's roles (analysts, docs/analysts.md; the query side's reads) read the replica only: refused here, ahead
# of the image's catch-all line; the replica drops this line from the copy pg_basebackup makes
sed -i '1i host all amply_analyst,amply_readonly all reject # amply: primary only' "$PGDATA/pg_hba.conf"
