#!/usr/bin/env bash
# PostgreSQL alone, on a running local system's primary (durable settings, replica streaming):
# transactions/s of a donation's command-side SQL (pgbench/donation-command-sql.sql) and of a
# one-UPDATE transaction, in a scratch database (rtbench), ROUNDS times each. A floor for what the
# whole system can do: the JVM, the query side and the replica's replay come on top.
#
#   ROUNDS=2 local-launcher/bench/pgbench-floor.sh        # as an unprivileged user, ./run-local running
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-55432}
"$PGBIN/psql" -h localhost -p "$PORT" -U postgres -d amply -qAt -c "SELECT 1 FROM pg_database WHERE datname = 'rtbench'" | grep -q 1 \
  || "$PGBIN/psql" -h localhost -p "$PORT" -U postgres -d amply -q -c "CREATE DATABASE rtbench"
"$PGBIN/psql" -h localhost -p "$PORT" -U postgres -d rtbench -q -f "$here/pgbench/setup.sql" 2>/dev/null
for round in $(seq 1 "${ROUNDS:-2}"); do
  for script in one-update donation-command-sql; do
    tps=$("$PGBIN/pgbench" -h localhost -p "$PORT" -U postgres -n -c "${CLIENTS:-32}" -j 2 -T "${SECONDS_EACH:-20}" -M prepared \
      -f "$here/pgbench/$script.sql" rtbench 2>&1 | grep -E '^tps' | head -1)
    echo "round $round $script: $tps"
  done
done
