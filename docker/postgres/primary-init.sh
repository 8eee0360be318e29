#!/usr/bin/env bash
# Runs once, when the primary's data directory is created: a replication role and pg_hba line.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U postgres -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}'"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
