#!/bin/bash
# Publisher catch-up benchmark (docs/benchmarks.md): how fast the Kafka publisher drains a backlog,
# as after a broker outage, while every other processor is caught up. A fresh durable system gets
# EVENTS DonationReceivedEvents (PublishLoad, spread over ORGS organisations) and catches up; then,
# RUNS times: the system is stopped, the kafka-publisher's tokens are deleted (so it publishes the
# whole event store again), the system is started, and the publisher's own counter
# amply.kafka.records.sent is read every 250 ms. The rate reported is the counter's slope between
# 10 % and 90 % of the backlog: the start of the JVM and the last partial batch are left out.
# Run from the repository root after ./mvnw -DskipTests install; needs psql (Debian: postgresql-client).
# REUSE=1 measures again on the system an earlier run left in $DIR.
#   EVENTS=100000 ORGS=8 RUNS=3 local-launcher/bench/republish.sh
set -u
DIR=${DIR:-/tmp/cbench}
EVENTS=${EVENTS:-100000}
ORGS=${ORGS:-8}
RUNS=${RUNS:-3}
if [ "${REUSE:-0}" = 1 ]; then  # the system of an earlier run in $DIR, its events already there
  JAR=local-launcher/target/amply-local.jar
  stop() { pkill -TERM -f "amply-local.jar --data-dir=$DIR"; }
else
  source "$(dirname "$0")/fresh-system.sh"
  $PUBLISH_LOAD --events="$EVENTS" --rate=0 --organisations="$ORGS" | grep "events="
  settle
fi
PGBIN="$(ls -d /tmp/embedded-pg/PG-*/bin | head -1)"  # the launcher's PostgreSQL (no psql among them)
OWNER=$(stat -c %U "$DIR/postgres/primary")
AS=$([ "$OWNER" = "$(whoami)" ] && echo "" || echo "runuser -u $OWNER --")
METRIC='http://localhost:8081/actuator/metrics/amply.kafka.records.sent?tag=topic:amply.events'
for run in $(seq 1 "$RUNS"); do
  stop
  while pgrep -f "amply-local.jar --data-dir=$DIR" > /dev/null || pgrep -x postgres > /dev/null; do sleep 1; done
  $AS "$PGBIN/pg_ctl" -D "$DIR/postgres/primary" -o "-p 55432" -l "$DIR.pg.log" -w start > /dev/null
  psql -w -h localhost -p 55432 -U postgres amply -Atc \
      "DELETE FROM token_entry WHERE processor_name = 'kafka-publisher'" > /dev/null
  $AS "$PGBIN/pg_ctl" -D "$DIR/postgres/primary" -m fast -w stop > /dev/null
  $AS java -Xmx2g ${JOPTS:-} -jar "$JAR" --data-dir="$DIR" > "$DIR.log" 2>&1 &
  : > "$DIR.sent"
  for i in $(seq 1 1200); do
    sent=$(curl -s "$METRIC" | grep -o '"value":[0-9.E]*' | cut -d: -f2)
    [ -n "$sent" ] && echo "$(date +%s.%N) $sent" >> "$DIR.sent"
    [ -n "$sent" ] && python3 -c "import sys; sys.exit(0 if float('$sent') >= $EVENTS else 1)" && break
    sleep 0.25
  done
  python3 - "$DIR.sent" "$EVENTS" "$run" <<'PY'
import sys
rows = [(float(t), float(v)) for t, v in (l.split() for l in open(sys.argv[1]) if len(l.split()) == 2)]
total, run = float(sys.argv[2]), sys.argv[3]
lo = next(((t, v) for t, v in rows if v >= 0.1 * total), None)
hi = next(((t, v) for t, v in rows if v >= 0.9 * total), None)
if not rows or lo is None or hi is None or hi[0] <= lo[0]:
    print(f"run {run}: not measurable (first reading {rows[0][1] if rows else 'none'} of {total:.0f})")
else:
    print(f"run {run}: {hi[1] - lo[1]:,.0f} events in {hi[0] - lo[0]:.2f} s -> {(hi[1] - lo[1]) / (hi[0] - lo[0]):,.0f} events/s "
          f"(first reading: {rows[0][1]:,.0f} sent)")
PY
done
stop
