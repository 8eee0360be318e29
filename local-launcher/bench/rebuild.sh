#!/bin/bash
# Projection rebuild benchmark (docs/benchmarks.md): a fresh durable system, 60,000
# DonationReceivedEvents appended straight into the event store, then every read model rebuilt
# three times through the operations endpoint. Run from the repository root after
# ./mvnw -DskipTests package, as a user PostgreSQL accepts (not root).
set -u
JAR=local-launcher/target/amply-local.jar
DIR=${DIR:-/tmp/rbench}
rm -rf "$DIR"
java -Xmx2g -jar $JAR --data-dir="$DIR" --fresh > "$DIR.log" 2>&1 &
for i in $(seq 1 120); do grep -q "Amply is running" "$DIR.log" && break; sleep 2; done
java -cp $JAR -Dloader.main=io.amply.local.bench.PublishLoad org.springframework.boot.loader.launch.PropertiesLauncher \
     --connection="$DIR/connection.json" --events=60000 --rate=0 | tail -3
sleep 60   # every processor finishes the backlog
for g in fund-balances transactions organisation-directory campaign-progress project-budgets; do
  for r in 1 2 3; do
    curl -s -X POST http://localhost:8081/actuator/projections/$g > /dev/null
    while true; do
      s=$(curl -s http://localhost:8081/actuator/projections/$g)
      echo "$s" | grep -q '"phase":"\(done\|failed\)"' && break
      sleep 1
    done
    echo "$g run $r: $(echo "$s" | grep -o '"events_replayed":[0-9]*\|"events_per_second":[0-9]*\|"phase":"[a-z_]*"' | tr '\n' ' ')"
  done
done
pkill -TERM -f "amply-local.jar --data-dir=$DIR"
