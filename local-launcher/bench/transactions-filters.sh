#!/usr/bin/env bash
# The members' transactions list's first page filtered by type, direction and status on one large
# organisation (and the fund's list filtered by type), with the indexes before V34 and with V34's, in the same run: ROUNDS rounds, each
# dropping V34's indexes, timing every filter's page RUNS times (EXPLAIN ANALYZE's execution time,
# median), then creating them and timing again; and what they cost a write: WRITES rows inserted in
# batches of 100 (as the read model's batches write them) without and with them, median of RUNS
# timings each, the rows deleted between. A throwaway PostgreSQL 15 cluster with its durable
# defaults, in a temporary directory:
#
#   ROWS=1000000 RARE=40 ROUNDS=3 local-launcher/bench/transactions-filters.sh   # as an unprivileged user
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-55498}
ROWS=${ROWS:-1000000} RARE=${RARE:-40} SMALL=${SMALL:-200000} ROUNDS=${ROUNDS:-3} RUNS=${RUNS:-5} WRITES=${WRITES:-20000}
data=$(mktemp -d)
trap '"$PGBIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
"$PGBIN/initdb" -D "$data" -U postgres -A trust >/dev/null
"$PGBIN/pg_ctl" -D "$data" -o "-p $PORT -k /tmp -c shared_buffers=512MB" -l "$data/log" -w start >/dev/null
psql() { "$PGBIN/psql" -h localhost -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
started=$(date +%s)
psql -v rows="$ROWS" -v rare="$RARE" -v small="$SMALL" -f "$here/transactions-filters/setup.sql" >/dev/null
echo "loaded $ROWS + $SMALL rows in $(( $(date +%s) - started )) s"
page() { # the list's first page (limit 50) with one filter, as TransactionsController reads it
  echo "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id, organisation_id, fund_id, direction, type, amount, currency, status,
        allocation::text AS allocation, created_at FROM transactions WHERE organisation_id = 'org_big' AND $1
        ORDER BY created_at, id LIMIT 51"
}
median_ms() { # RUNS executions of the filter's page; the median execution time in ms
  for _ in $(seq 1 "$RUNS"); do
    psql -c "$(page "$1")" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])'
  done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
writes_ms() { # RUNS times: WRITES new rows of another organisation in transactions of 100 rows; the median in ms
  for run in $(seq 1 "$RUNS"); do
    { echo '\timing on'; for batch in $(seq 0 100 $(( WRITES - 100 ))); do
        echo "INSERT INTO transactions SELECT 'txn_w' || i, 'org_w', 'fund_w', 'incoming', 'donation', 700, 'EUR', 'completed',
              jsonb_build_object('fund_id', 'fund_w'), 'evt-w-' || i, now() FROM generate_series($batch + 1, $batch + 100) AS i;"
      done; } | psql | awk '/^Time:/ {t += $2} END {print t}'
    psql -c "DELETE FROM transactions WHERE organisation_id = 'org_w'" >/dev/null
  done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
for round in $(seq 1 "$ROUNDS"); do
  psql -c "DROP INDEX IF EXISTS transactions_organisation_type, transactions_organisation_direction,
                                transactions_organisation_unsettled"
  declare -A before=()
  for filter in "type = 'refund'" "direction = 'outgoing'" "status = 'refunded'" "fund_id = 'fund_big' AND type = 'refund'"; do
    before[$filter]=$(median_ms "$filter")
  done
  writes_before=$(writes_ms)
  psql -f "$here/../../db-migrations/src/main/resources/db/migration/V34__transactions_filter_indexes.sql"
  psql -c "ANALYZE transactions"
  writes_after=$(writes_ms)
  echo "round $round  $WRITES writes: before $writes_before ms, after $writes_after ms, ratio $(python3 -c "print(round($writes_after / $writes_before, 2))")"
  for filter in "type = 'refund'" "direction = 'outgoing'" "status = 'refunded'" "fund_id = 'fund_big' AND type = 'refund'"; do
    after=$(median_ms "$filter")
    echo "round $round  $filter: before ${before[$filter]} ms, after $after ms, ratio $(python3 -c "print(round(${before[$filter]} / $after))")x"
  done
done
echo "index sizes: $(psql -c "SELECT string_agg(indexrelname || ' ' || pg_size_pretty(pg_relation_size(indexrelid)), ', ')
                             FROM pg_stat_user_indexes WHERE relname = 'transactions'")"
