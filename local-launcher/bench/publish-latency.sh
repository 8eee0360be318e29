#!/bin/bash
# Publishing latency benchmark (docs/benchmarks.md): a fresh durable system, then PublishLoad at a
# fixed rate (default 1,000 events/s, 15,000 events a run), WARMUP runs not reported (a cold JIT),
# then RUNS runs. For each run: PublishLoad's commit -> consumed percentiles (a consumer reading the
# topic), and from the publisher's own timer amply.kafka.publish.delay (event time -> broker
# acknowledgement) the share of the run's events acknowledged within 0.1, 0.25, 0.5 and 1 s, exact
# from the timer's cumulative buckets. Extra JVM options for the system in JOPTS, e.g.
#   JOPTS=-Damply.eventstore.notify-interval=0 local-launcher/bench/publish-latency.sh
# Run from the repository root after ./mvnw -DskipTests package, as a user PostgreSQL accepts.
set -u
DIR=${DIR:-/tmp/pbench}
RATE=${RATE:-1000}
EVENTS=${EVENTS:-15000}
source "$(dirname "$0")/fresh-system.sh"
buckets() { curl -s http://localhost:8091/actuator/prometheus | grep '^amply_kafka_publish_delay_seconds_\(bucket\|count\){topic="amply.events"'; }
for run in $(seq 1 $(( ${WARMUP:-2} + ${RUNS:-3} ))); do
  before=$(buckets)
  result=$($PUBLISH_LOAD --events="$EVENTS" --rate="$RATE" 2>/dev/null | grep "commit -> consumed")
  settle
  after=$(buckets)
  [ "$run" -le "${WARMUP:-2}" ] && { echo "warm-up $run: $result"; continue; }
  echo "run $((run - ${WARMUP:-2})): $result; acknowledged within $(python3 "$(dirname "$0")/delay-shares.py" "$before" "$after" 0.1 0.25 0.5 1.0)"
done
stop
