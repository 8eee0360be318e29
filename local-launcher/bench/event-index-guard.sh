#!/usr/bin/env bash
# The event index guard's cost (V46__event_index_from_its_sequence.sql: a BEFORE INSERT trigger checks that each
# event's global index is the one its sequence just gave it): transactions/s appending EVENTS events each to the
# event table as the migrations make it (V2, V30's commit deadline, V46) and to a copy with the deadline only, in
# turn (ABBA across rounds), ROUNDS times, on a running local system's primary (durable settings, replica
# streaming), in a scratch database (igbench, made again on every run). The transactions are commit-deadline.sh's.
#
#   ROUNDS=4 EVENTS="4 200" local-launcher/bench/event-index-guard.sh   # as an unprivileged user, ./run-local running
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-55432}
psql() { "$PGBIN/psql" -h localhost -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
migrations="$here/../../db-migrations/src/main/resources/db/migration"
psql -d amply -c "DROP DATABASE IF EXISTS igbench" -c "CREATE DATABASE igbench"
psql -d igbench -f "$migrations/V2__axon_tables.sql" -f "$migrations/V30__event_commit_deadline.sql" \
  -c "BEGIN" -f "$migrations/V46__event_index_from_its_sequence.sql" -c "COMMIT" -f "$here/event-index-guard/setup.sql"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for events in ${EVENTS:-4 200}; do
    order="without_index_guard domain_event_entry"; [ $((round % 2)) -eq 0 ] && order="domain_event_entry without_index_guard"
    for table in $order; do
      tps=$("$PGBIN/pgbench" -h localhost -p "$PORT" -U postgres -n -c "${CLIENTS:-8}" -j 2 -T "${SECONDS_EACH:-20}" \
        -D table=$table -D events="$events" -f "$here/commit-deadline/append.sql" igbench 2>&1 | grep -E '^tps' | head -1)
      label=$table; [ "$table" = domain_event_entry ] && label=with_index_guard
      echo "round $round, $events events per transaction, $label: $tps"
    done
  done
done
