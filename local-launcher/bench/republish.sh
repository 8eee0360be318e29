#!/bin/bash
# Publisher catch-up benchmark (docs/benchmarks.md): how fast the Kafka publisher drains a backlog,
# as after a broker outage, while every other processor has caught up (and is idle). A fresh
# durable system gets EVENTS DonationReceivedEvents (PublishLoad, spread over ORGS organisations)
# and catches up; then, RUNS times: the system is stopped, the kafka-publisher's tokens are deleted
# (so it publishes the whole event store again), the system is started, and one sampler reads the
# publisher's own counter amply.kafka.records.sent (records the broker acknowledged) every 250 ms
# until the publisher is caught up. The rate reported is the counter's slope between 10 % and 90 %
# of what it sent: the start of the JVM and the last partial batch are left out.
# Run from the repository root after ./mvnw -DskipTests install, as a user PostgreSQL accepts (not
# root); needs psql (Debian: postgresql-client). REUSE=1 measures again on the system an earlier
# run left in $DIR.
#   EVENTS=100000 ORGS=8 RUNS=3 local-launcher/bench/republish.sh
set -u -o pipefail
DIR=${DIR:-/tmp/cbench}
EVENTS=${EVENTS:-100000}
ORGS=${ORGS:-8}
RUNS=${RUNS:-3}
if [ "${REUSE:-0}" = 1 ]; then
  JAR=local-launcher/target/amply-local.jar
  stop() { pkill -TERM -f "amply-local.jar --data-dir=$DIR( |$)"; }
else
  source "$(dirname "$0")/fresh-system.sh"
  $PUBLISH_LOAD --events="$EVENTS" --rate=0 --organisations="$ORGS" | grep "events=" || { stop; exit 1; }
  settle
fi
PGBIN="$(ls -d /tmp/embedded-pg/PG-*/bin | head -1)"  # the launcher's PostgreSQL (no psql among them)
for run in $(seq 1 "$RUNS"); do
  stop
  while pgrep -f "amply-local.jar --data-dir=$DIR( |$)" > /dev/null || [ -e "$DIR/postgres/primary/postmaster.pid" ]; do sleep 1; done
  "$PGBIN/pg_ctl" -D "$DIR/postgres/primary" -o "-p 55432" -l "$DIR.pg.log" -w start > /dev/null
  psql -w -h localhost -p 55432 -U postgres amply -Atc "DELETE FROM token_entry WHERE processor_name = 'kafka-publisher'" > /dev/null
  "$PGBIN/pg_ctl" -D "$DIR/postgres/primary" -m fast -w stop > /dev/null
  java -Xmx2g -Damply.api.rate-limit.enabled=false ${JOPTS:-} -jar "$JAR" --data-dir="$DIR" > "$DIR.log" 2>&1 &
  python3 - "$run" <<'PY'
import json, sys, time, urllib.request
base = 'http://localhost:8091/actuator'
def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=5) as r:
            return json.load(r)
    except Exception:
        return None
rows, deadline = [], time.time() + 600
while time.time() < deadline:
    sent = get('/metrics/amply.kafka.records.sent?tag=topic:amply.events')
    if sent:
        rows.append((time.time(), sent['measurements'][0]['value']))
        health = get('/health')
        behind = health and health['components']['eventProcessors']['details']['kafka-publisher'].get('behind')
        if behind == 0 and len(rows) > 4 and rows[-1][1] == rows[-5][1]:
            break  # caught up, and nothing sent for a second
    time.sleep(0.25)
total = rows[-1][1] if rows else 0
lo = next((r for r in rows if r[1] >= 0.1 * total), None)
hi = next((r for r in rows if r[1] >= 0.9 * total), None)
if not total or hi[0] <= lo[0]:
    print(f"run {sys.argv[1]}: not measurable ({total:.0f} sent, first reading {rows[0][1] if rows else 'none'})")
else:
    print(f"run {sys.argv[1]}: {total:,.0f} records sent; {hi[1] - lo[1]:,.0f} of them in {hi[0] - lo[0]:.2f} s -> "
          f"{(hi[1] - lo[1]) / (hi[0] - lo[0]):,.0f} events/s (first reading: {rows[0][1]:,.0f} sent)")
PY
done
stop
