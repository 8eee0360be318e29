# Sourced by the benchmark scripts: a fresh durable system in $DIR (JVM options in $JOPTS), the
# PublishLoad command for it in $PUBLISH_LOAD, settle (every processor caught up) and stop.
JAR=local-launcher/target/amply-local.jar
rm -rf "$DIR"
java -Xmx2g -Damply.api.rate-limit.enabled=false ${JOPTS:-} -jar $JAR --data-dir="$DIR" --fresh > "$DIR.log" 2>&1 &
for i in $(seq 1 120); do grep -q "Amply is running" "$DIR.log" && break; sleep 2; done
PUBLISH_LOAD="java -cp $JAR -Dloader.main=io.amply.local.bench.PublishLoad org.springframework.boot.loader.launch.PropertiesLauncher --connection=$DIR/connection.json"

settle() {
  for i in $(seq 1 600); do
    curl -s http://localhost:8091/actuator/health | grep -o '"behind":[0-9]*' | grep -qv '"behind":0$' || break
    sleep 2
  done
}

stop() {
  pkill -TERM -f "amply-local.jar --data-dir=$DIR( |$)"
}
