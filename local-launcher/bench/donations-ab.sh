#!/usr/bin/env bash
# Donations over HTTP, builds side by side: for each round and each NAME=JAR, a fresh durable system
# from that jar, WARM donations of warm-up, every processor caught up, then (one generator JVM, itself
# warmed by GWARM donations) RUNS timed runs of N donations (DonationLoad) and, once the query side
# has caught up again, PostgreSQL's commits, WAL flushes and WAL bytes per donation (pg_stat_database,
# pg_stat_wal, over the generator's warm-up and the runs), the rows written per donation (the donations
# table's inserts and updates, and all tables'; pg_stat_user_tables), CPU per donation by process and
# thread group over the runs (thread-cpu.py; the first line is printed, $dir.cpu.txt has the rest), the
# machine's context switches per donation over the runs and the command side's batch metrics.
# The warm-up is long because the system's JIT compiles for some 15,000-20,000 donations (C2 compiles
# a method called once per donation after ≈ 15,000 calls); before that a third of the CPU is the JIT's.
#
#   ROUNDS=2 ORGS=50 WARM=20000 N=3000 RUNS=3 local-launcher/bench/donations-ab.sh before=/tmp/a.jar after=/tmp/b.jar
#
# CHECKPOINT=1 runs a checkpoint just before the timed runs, as one comes every 15 minutes in
# production (checkpoint_timeout): the pages the runs then touch first go to the WAL whole
# ("full-page images", counted per donation either way).
# RATE (donations/s) paces the timed runs; 0, the default, sends as fast as CONCURRENCY allows.
# LOAD_OPTS goes to the generator (e.g. LOAD_OPTS=--donors: each donation with a donor's name and
# e-mail), and LOAD_OPTS_<name> to one build's generator only (e.g. the same jar with and without
# Idempotency-Keys: LOAD_OPTS_keys=--idempotency-keys ... none=JAR keys=JAR); GENERATOR=jar runs the
# generator from that jar for every build (else each build's own).
# A build's own JVM options, if any, in OPTS_<name>; e.g. the same jar with Axon's out-of-the-box settings:
#   OPTS_defaults="$(grep -v '^#' local-launcher/axon-defaults.props)" local-launcher/bench/donations-ab.sh \
#     tuned=local-launcher/target/amply-local.jar defaults=local-launcher/target/amply-local.jar
#
# JAVA_<name> runs one build's system on another JVM (the generator stays on `java`), e.g. the same jar
# on Java 17 and 25: JAVA_j25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ... j17=JAR j25=JAR
#
# Run it as an unprivileged user (PostgreSQL refuses root) with nothing else on the default ports.
set -uo pipefail
ROUNDS=${ROUNDS:-3}; ORGS=${ORGS:-50}; WARM=${WARM:-20000}; GWARM=${GWARM:-1000}; RUNS=${RUNS:-3}; N=${N:-3000}; CONCURRENCY=${CONCURRENCY:-32}
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}
BENCH=$(cd "$(dirname "$0")" && pwd)
ROWS="SELECT n_tup_ins, n_tup_upd, (SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables)
        FROM pg_stat_user_tables WHERE relname = 'donations'"

caught_up() {
  for _ in $(seq 1 300); do
    curl -s http://localhost:8091/actuator/health | grep -o '"behind":[0-9]*' | grep -qv '"behind":0$' || return
    sleep 1
  done
}

sql() { "$PSQL" -h localhost -p 55432 -U postgres -At amply -c "$1"; }
switches() { awk '/^ctxt/ {print $2}' /proc/stat; } # the machine's context switches since boot

for round in $(seq 1 "$ROUNDS"); do
  for build in "$@"; do
    name=${build%%=*}; jar=${build#*=}; dir=/tmp/donations-ab-$name
    for _ in $(seq 1 60); do ss -ltn | grep -qE ':(55432|55433|59092|8080|8081|8090|8091) ' || break; sleep 1; done
    rm -rf "$dir"
    opts="OPTS_$name"; load_opts="LOAD_OPTS_$name"; java_of="JAVA_$name"
    # shellcheck disable=SC2086 # the options are words
    "${!java_of:-java}" -Xmx2g -Damply.api.rate-limit.enabled=false ${!opts:-} -jar "$jar" --data-dir="$dir" --fresh > "$dir.log" 2>&1 &
    for _ in $(seq 1 150); do grep -q "Amply is running" "$dir.log" 2>/dev/null && break; sleep 2; done
    if ! grep -q "Amply is running" "$dir.log"; then echo "round $round $name: did not start"; pkill -TERM -f "data-dir=$dir"; continue; fi
    load="java -cp ${GENERATOR:-$jar} -Dloader.main=io.amply.local.bench.DonationLoad org.springframework.boot.loader.launch.PropertiesLauncher --connection=$dir/connection.json ${LOAD_OPTS:-} ${!load_opts:-}"
    $load --organisations="$ORGS" --donations="$WARM" --concurrency="$CONCURRENCY" > "$dir.warm.txt" 2>&1
    caught_up
    echo "=== round $round $name $(date -u +%H:%M:%S)"
    sleep 12 # every backend has reported its row counts (PostgreSQL 15 reports an idle backend's within 10 s)
    if [ "${CHECKPOINT:-0}" = 1 ]; then sql "CHECKPOINT" > /dev/null; fi
    commits0=$(sql "SELECT sum(xact_commit) FROM pg_stat_database"); wal0=$(sql "SELECT wal_sync || ' ' || wal_bytes || ' ' || wal_fpi FROM pg_stat_wal")
    rows0=$(sql "$ROWS")
    pid=$(pgrep -f "data-dir=$dir( |$)" | head -1) # the system's JVM, whichever java runs it
    python3 "$BENCH/thread-cpu.py" snap "$dir.cpu.json" "$pid"; ctxt0=$(switches)
    $load --organisations="$ORGS" --warmup="$GWARM" --runs="$RUNS" --rate="${RATE:-0}" --donations="$N" --concurrency="$CONCURRENCY" 2>&1 \
      | grep -E "warm-up|failures|accepted/s|latency|ledger's own|generator CPU"
    python3 "$BENCH/thread-cpu.py" diff "$dir.cpu.json" "$pid" "$((GWARM + RUNS * N))" > "$dir.cpu.txt"; head -1 "$dir.cpu.txt"
    echo "context switches per donation (the whole machine, over the runs): $(( ($(switches) - ctxt0) / (GWARM + RUNS * N) ))"
    caught_up
    sleep 12
    commits1=$(sql "SELECT sum(xact_commit) FROM pg_stat_database"); wal1=$(sql "SELECT wal_sync || ' ' || wal_bytes || ' ' || wal_fpi FROM pg_stat_wal")
    rows1=$(sql "$ROWS")
    awk -v n="$((GWARM + RUNS * N))" -v c0="$commits0" -v c1="$commits1" -v w0="$wal0" -v w1="$wal1" -v r0="$rows0" -v r1="$rows1" 'BEGIN {
      split(w0, a, " "); split(w1, b, " "); split(r0, x, "|"); split(r1, y, "|");
      printf "per donation: commits %.2f, WAL flushes %.2f, WAL %.2f KB (full-page images %.3f), donations rows inserted %.2f updated %.2f, rows written (all tables) %.2f\n",
        (c1 - c0) / n, (b[1] - a[1]) / n, (b[2] - a[2]) / n / 1024, (b[3] - a[3]) / n, (y[1] - x[1]) / n, (y[2] - x[2]) / n, (y[3] - x[3]) / n }'
    curl -s http://localhost:8090/actuator/prometheus | grep -E "^amply_donations_batch_(size|duration_seconds)_(count|sum)|^amply_donations_batch_rolled"
    pkill -TERM -f "data-dir=$dir"
    sleep 3
  done
done
