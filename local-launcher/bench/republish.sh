#!/bin/bash
# Republish benchmark (docs/benchmarks.md): on a stopped system made by rebuild.sh (/tmp/rbench,
# 60,000 events), the kafka-publisher's tokens are deleted while every other processor stays caught
# up; started again, the publisher alone sends the whole event store again, timed from the health
# component eventProcessors. Run as root (it starts PostgreSQL as the user amply for the delete).
PGB=$(ls -d /tmp/embedded-pg/PG-*/bin)   # the launcher's unpacked PostgreSQL binaries
for run in 1 2 3; do
  pkill -TERM -f "amply-local.jar --data-dir=/tmp/rbench"; sleep 3
  while pgrep -f 'data-dir=/tmp/rbench' >/dev/null || pgrep -x postgres >/dev/null; do sleep 1; done
  runuser -u amply -- $PGB/pg_ctl -D /tmp/rbench/postgres/primary -o "-p 55432" -l /tmp/rb-primary.log -w start >/dev/null
  psql -w -h localhost -p 55432 -U postgres amply -Atc "delete from token_entry where processor_name='kafka-publisher'" >/dev/null
  runuser -u amply -- $PGB/pg_ctl -D /tmp/rbench/postgres/primary -m fast -w stop >/dev/null
  (runuser -u amply -- java -Xmx2g -jar /work/main/local-launcher/target/amply-local.jar --data-dir=/tmp/rbench > /tmp/rbench.log 2>&1 &)
  for i in $(seq 1 150); do grep -q "Amply is running" /tmp/rbench.log && break; sleep 1; done
  : > /tmp/repub-$run.txt
  for i in $(seq 1 400); do
    b=$(curl -s http://localhost:8081/actuator/health | python3 -c "import json,sys; print(json.load(sys.stdin)['components']['eventProcessors']['details']['kafka-publisher']['behind'])" 2>/dev/null)
    echo "$(date +%s.%N) $b" >> /tmp/repub-$run.txt
    [ "$b" = "0" ] && break
    sleep 0.2
  done
  python3 - $run <<'PY'
import sys
rows=[(float(t),int(b)) for t,b in (l.split() for l in open(f'/tmp/repub-{sys.argv[1]}.txt') if len(l.split())==2 and l.split()[1].isdigit())]
full=max(b for t,b in rows)
last_full=max(t for t,b in rows if b==full); zero=min(t for t,b in rows if b==0)
first_part=[(t,b) for t,b in rows if 0<b<full]
mid=(first_part[0][1]/(zero-first_part[0][0])) if first_part else float('nan')
print(f"run {sys.argv[1]}: {full} events; from the last full reading to 0: {zero-last_full:.1f} s -> at least {full/(zero-last_full):,.0f} events/s; from the first partial reading: {mid:,.0f} events/s")
PY
done
