#!/usr/bin/env bash
# The commit deadline's cost (V30__event_commit_deadline.sql: a deferred trigger checks each event at
# COMMIT; V49 and V50 add that it runs in a COMMIT of its own with no holdable cursor open): transactions/s appending EVENTS events each to the event
# table as the migrations make it (V2, V30, V49 and V50's check, trigger included), to a copy with V30's check as it was
# (v30_deadline), and to a copy without the trigger, in turn (the order reversed every other round), ROUNDS
# times, on a running local system's primary (durable settings, replica streaming), in a scratch database
# (cdbench, made again on every run).
#
#   ROUNDS=3 EVENTS="4 200" local-launcher/bench/commit-deadline.sh   # as an unprivileged user, ./run-local running
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-55432}
psql() { "$PGBIN/psql" -h localhost -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
migrations="$here/../../db-migrations/src/main/resources/db/migration"
# a fresh scratch database: the event table exactly as the migrations make it, deadline included
psql -d amply -c "DROP DATABASE IF EXISTS cdbench" -c "CREATE DATABASE cdbench"
psql -d cdbench -f "$migrations/V2__axon_tables.sql" -f "$migrations/V30__event_commit_deadline.sql" -f "$here/commit-deadline/setup.sql"
# V30's check as it was, on a copy of its own, then the current one (V49) on the event table
psql -d cdbench -c "CREATE TABLE v30_deadline (LIKE domain_event_entry INCLUDING ALL)"
sed -e 's/amply_event_commit_deadline/amply_event_commit_deadline_v30/g' -e 's/TRIGGER domain_event_entry_commit_deadline/TRIGGER v30_deadline_commit_deadline/' \
    -e 's/AFTER INSERT ON domain_event_entry/AFTER INSERT ON v30_deadline/' "$migrations/V30__event_commit_deadline.sql" | psql -d cdbench
psql -d cdbench -f "$migrations/V49__event_commit_deadline_at_commit_only.sql" -f "$migrations/V50__event_commit_deadline_after_the_check.sql"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for events in ${EVENTS:-4 200}; do
    order="without_deadline v30_deadline domain_event_entry"
    [ $((round % 2)) -eq 0 ] && order="domain_event_entry v30_deadline without_deadline"
    for table in $order; do
      tps=$("$PGBIN/pgbench" -h localhost -p "$PORT" -U postgres -n -c "${CLIENTS:-8}" -j 2 -T "${SECONDS_EACH:-20}" \
        -D table=$table -D events="$events" -f "$here/commit-deadline/append.sql" cdbench 2>&1 | grep -E '^tps' | head -1)
      label=$table; [ "$table" = domain_event_entry ] && label=current_deadline
      echo "round $round, $events events per transaction, $label: $tps"
    done
  done
done
