#!/usr/bin/env bash
# The commit deadline's cost (V30__event_commit_deadline.sql: a deferred trigger checks each event at
# COMMIT): transactions/s appending EVENTS events each to a copy of the event table with the trigger
# and to one without, in turn (ABBA across rounds), ROUNDS times, on a running local system's primary (durable
# settings, replica streaming), in a scratch database (cdbench).
#
#   ROUNDS=3 EVENTS="4 200" local-launcher/bench/commit-deadline.sh   # as an unprivileged user, ./run-local running
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-55432}
psql() { "$PGBIN/psql" -h localhost -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -d amply -At -c "SELECT 1 FROM pg_database WHERE datname = 'cdbench'" | grep -q 1 || psql -d amply -c "CREATE DATABASE cdbench"
# the function exactly as the migration makes it
sed -n '/^CREATE FUNCTION/,/^\$\$;/p' "$here/../../db-migrations/src/main/resources/db/migration/V30__event_commit_deadline.sql" \
  | sed 's/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/' | psql -d cdbench
psql -d cdbench -f "$here/commit-deadline/setup.sql"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for events in ${EVENTS:-4 200}; do
    order="without_deadline with_deadline"; [ $((round % 2)) -eq 0 ] && order="with_deadline without_deadline"
    for table in $order; do
      tps=$("$PGBIN/pgbench" -h localhost -p "$PORT" -U postgres -n -c "${CLIENTS:-8}" -j 2 -T "${SECONDS_EACH:-20}" \
        -D table=$table -D events="$events" -f "$here/commit-deadline/append.sql" cdbench 2>&1 | grep -E '^tps' | head -1)
      echo "round $round, $events events per transaction, $table: $tps"
    done
  done
done
