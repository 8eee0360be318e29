#!/usr/bin/env bash
# Donations over HTTP, builds side by side, with what each donation costs: for each round and each
# NAME=JAR, a fresh durable system from that jar, WARM donations of warm-up, then (one generator JVM,
# warmed by 1,000 more) three timed runs of 3,000 (DonationLoad), and over the 10,000: CPU per donation
# (thread-cpu.py: the system's JVM, the PostgreSQL processes, the generator), WAL and commits per
# donation, the donations table's inserted and updated rows and the rows written to all tables per
# donation (pg_stat_*, read 12 s after the runs so every backend has reported its counts).
#
#   ORGS=50 local-launcher/bench/donations-counts.sh 2 before=/tmp/a.jar after=/tmp/b.jar
#
# Run it as root (the system runs as the unprivileged user amply, which must exist) with nothing
# else on the default ports. docs/benchmarks.md (thirteenth session) has its results.
set -uo pipefail
ROUNDS=$1; shift
BENCH=$(cd "$(dirname "$0")" && pwd)
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}
P="runuser -u amply -- $PSQL -h localhost -p 55432 -U postgres amply -At"
snap() {
  $P -c "select (select wal_bytes from pg_stat_wal), (select sum(xact_commit) from pg_stat_database),
                (select n_tup_ins||' '||n_tup_upd||' '||n_tup_hot_upd from pg_stat_user_tables where relname='donations'),
                (select sum(n_tup_ins+n_tup_upd+n_tup_del) from pg_stat_user_tables)"
}
for r in $(seq 1 "$ROUNDS"); do for b in "$@"; do
  n=${b%%=*}; j=${b#*=}; dir=/tmp/donations-counts-$n
  for _ in $(seq 1 60); do ss -ltn | grep -qE ':(55432|55433|59092|8080|8081|8090|8091) ' || break; sleep 1; done
  rm -rf "$dir"; mkdir -p "$dir"; chown amply: "$dir"
  runuser -u amply -- java -Xmx2g -jar "$j" --data-dir="$dir" --fresh > "$dir.log" 2>&1 &
  for _ in $(seq 1 150); do grep -q "Amply is running" "$dir.log" && break; sleep 2; done
  if ! grep -q "Amply is running" "$dir.log"; then echo "round $r $n: did not start"; pkill -TERM -f "data-dir=$dir"; continue; fi
  pid=$(pgrep -f "^java .*data-dir=$dir" | head -1)
  load="runuser -u amply -- java -cp $j -Dloader.main=io.amply.local.bench.DonationLoad org.springframework.boot.loader.launch.PropertiesLauncher --connection=$dir/connection.json"
  $load --organisations="${ORGS:-50}" --donations="${WARM:-20000}" --concurrency=32 > "$dir.warm.txt" 2>&1
  sleep 12; s0=$(snap)
  python3 "$BENCH/thread-cpu.py" snap "$dir.cpu.json" "$pid"
  echo "=== round $r $n $(date -u +%H:%M:%S)"
  $load --organisations="${ORGS:-50}" --warmup=1000 --runs=3 --donations=3000 --concurrency=32 2>&1 | grep -E "accepted/s|latency ms"
  python3 "$BENCH/thread-cpu.py" diff "$dir.cpu.json" "$pid" 10000 > "$dir.cpu.txt"; head -1 "$dir.cpu.txt"
  sleep 12; s1=$(snap)
  echo "$s0|$s1" | awk -F'|' '{split($3,a," "); split($7,b," ");
    printf "per donation: WAL %.2f KB, commits %.2f, donations rows inserted %.2f updated %.2f (HOT %.2f), all row writes %.2f\n",
      ($5-$1)/10000/1024, ($6-$2)/10000, (b[1]-a[1])/10000, (b[2]-a[2])/10000, (b[3]-a[3])/10000, ($8-$4)/10000}'
  pkill -TERM -f "data-dir=$dir"; sleep 5
done; done
