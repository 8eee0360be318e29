#!/usr/bin/env bash
# Runs once, when the primary's data directory is created: a replication role and pg_hba line.
set -euo pipefail
# the server logs DDL (log_statement = ddl): not this statement, which carries a password
psql -v ON_ERROR_STOP=1 -U postgres -c "SET log_statement = 'none'" \
  -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}'"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
