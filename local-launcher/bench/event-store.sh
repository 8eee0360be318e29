#!/usr/bin/env bash
# Axon's JDBC and JPA event stores side by side on the PostgreSQL of a running system (./run-local, or
# java -jar local-launcher/target/amply-local.jar --data-dir=DIR): builds the benchmark (its own Maven
# project, event-store/, which brings Hibernate; no service has it) and runs it against the primary as
# the owner role, in schemas of its own (bench_jdbc, bench_jpa_oid, bench_jpa_bytea, made fresh).
#
#   local-launcher/bench/event-store.sh [--connection=.amply/local/connection.json] [--threads=8] [--donations=4000] [--rounds=7]
#
# Run it as an unprivileged user (the one that runs the system). The first round warms the JVM.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CONNECTION=.amply/local/connection.json
ARGS=()
for arg in "$@"; do
  case "$arg" in
    --connection=*) CONNECTION=${arg#--connection=} ;;
    *) ARGS+=("$arg") ;;
  esac
done
read -r URL PASSWORD < <(python3 -c "import json,sys; p=json.load(open(sys.argv[1]))['postgres']; \
print(p['primary']['jdbc_url'], p['roles']['amply_admin']['password'])" "$CONNECTION")
# the payloads are Amply's events: shared-events (and the parent POM) from this checkout first
(cd "$HERE/../.." && ./mvnw -q -B -DskipTests -pl shared-events -am install)
"$HERE/../../mvnw" -q -B -f "$HERE/event-store/pom.xml" package
exec java -jar "$HERE/event-store/target/event-store-bench.jar" --url="$URL" --user=amply_admin --password="$PASSWORD" "${ARGS[@]}"
