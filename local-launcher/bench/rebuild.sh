#!/bin/bash
# Projection rebuild benchmark (docs/benchmarks.md): a fresh durable system, EVENTS (default 60,000)
# DonationReceivedEvents appended straight into the event store, every processor left to catch up,
# then each read model rebuilt RUNS (default 3) times through the operations endpoint. Run from the
# repository root after ./mvnw -DskipTests package, as a user PostgreSQL accepts (not root).
#   EVENTS=200000 local-launcher/bench/rebuild.sh
set -u
DIR=${DIR:-/tmp/rbench}
EVENTS=${EVENTS:-60000}
RUNS=${RUNS:-3}
source "$(dirname "$0")/fresh-system.sh"
$PUBLISH_LOAD --events="$EVENTS" --rate=0 | tail -3
settle # every processor caught up first: they would share the two cores with the rebuild
for g in fund-balances transactions organisation-directory campaign-progress project-budgets; do
  for r in $(seq 1 "$RUNS"); do
    curl -s -X POST http://localhost:8091/actuator/projections/$g > /dev/null
    while true; do
      s=$(curl -s http://localhost:8091/actuator/projections/$g)
      echo "$s" | grep -q '"phase":"\(done\|failed\)"' && break
      sleep 1
    done
    echo "$g run $r: $(echo "$s" | grep -o '"events_replayed":[0-9]*\|"events_per_second":[0-9]*\|"phase":"[a-z_]*"\|"seconds_per_phase":{[^}]*}\|"rows_changed":{[^}]*}' | tr '\n' ' ')"
  done
done
stop
