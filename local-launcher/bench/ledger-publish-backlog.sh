#!/usr/bin/env bash
# How far ledger entries on Kafka trail the ledger under load, builds side by side: for each round
# and each NAME=JAR, a fresh durable system, WARM donations of warm-up, then N donations as fast as
# CONCURRENCY allows while the health endpoint's ledger_entries_unpublished (entries written to the
# ledger, not yet acknowledged by the broker) is sampled every 0.25 s; prints the donations/s and the
# samples' median, 95th percentile and maximum, and, where the build has the ledger entries' timer
# (amply.kafka.publish.delay{topic="amply.ledger.entries"}: entry time -> acknowledgement), the share
# of the run's entries acknowledged within 0.5, 1 and 5 s.
#
#   ROUNDS=2 ORGS=50 WARM=5000 N=6000 local-launcher/bench/ledger-publish-backlog.sh before=/tmp/a.jar after=/tmp/b.jar
#
# Run it as an unprivileged user (PostgreSQL refuses root) with nothing else on the default ports.
set -uo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-2}; ORGS=${ORGS:-50}; WARM=${WARM:-5000}; N=${N:-6000}; CONCURRENCY=${CONCURRENCY:-32}
buckets() {
  curl -s http://localhost:8091/actuator/prometheus \
    | grep -E '^amply_kafka_publish_delay_seconds_(bucket|count)\{topic="amply.ledger.entries"' || true
}
for round in $(seq 1 "$ROUNDS"); do
  for build in "$@"; do
    name=${build%%=*}; jar=${build#*=}; dir=/tmp/ledger-publish-$name
    for _ in $(seq 1 60); do ss -ltn | grep -qE ':(55432|55433|59092|8080|8081|8090|8091) ' || break; sleep 1; done
    rm -rf "$dir"
    java -Xmx2g -Damply.api.rate-limit.enabled=false -jar "$jar" --data-dir="$dir" --fresh > "$dir.log" 2>&1 &
    for _ in $(seq 1 150); do grep -q "Amply is running" "$dir.log" 2>/dev/null && break; sleep 2; done
    if ! grep -q "Amply is running" "$dir.log"; then echo "round $round $name: did not start"; pkill -TERM -f "data-dir=$dir"; continue; fi
    load="java -cp $jar -Dloader.main=io.amply.local.bench.DonationLoad org.springframework.boot.loader.launch.PropertiesLauncher --connection=$dir/connection.json"
    $load --organisations="$ORGS" --donations="$WARM" --concurrency="$CONCURRENCY" > "$dir.warm.txt" 2>&1
    sleep 5
    before=$(buckets)
    ( while true; do
        curl -s --max-time 1 http://localhost:8091/actuator/health | grep -o '"ledger_entries_unpublished":[0-9]*' | cut -d: -f2
        sleep 0.25
      done ) > "$dir.samples" &
    sampler=$!
    rate=$($load --organisations="$ORGS" --donations="$N" --concurrency="$CONCURRENCY" 2>&1 | grep -o "^accepted/s=[0-9]*")
    kill "$sampler"
    sleep 10 # the last entries of the run are acknowledged
    after=$(buckets)
    shares=$(python3 "$BENCH/delay-shares.py" "$before" "$after" 0.5 1.0 5.0)
    python3 - "$dir.samples" "round $round $name $(date -u +%H:%M) $rate" "$shares" <<'PY'
import statistics, sys
samples = sorted(int(x) for x in open(sys.argv[1]).read().split())
print("%s: unpublished ledger entries (%d samples) median %d p95 %d max %d; acknowledged within %s" % (
    sys.argv[2], len(samples), statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], samples[-1], sys.argv[3]))
PY
    pkill -TERM -f "data-dir=$dir"
    sleep 3
  done
done
