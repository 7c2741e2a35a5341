#!/usr/bin/env bash
# A Spark standalone cluster on this machine (127.0.0.1), from the project's own jars: a Master and
# WORKERS Workers of one core and 1 GiB each (FFSPARK_WORKER_MEMORY=3g for the paper-scale network),
# for trying cluster mode without a Spark distribution.
#   submit/standalone-cluster.sh start [WORKERS]   # default 2; prints the master URL
#   FFSPARK_MASTER=spark://127.0.0.1:7077 FFSPARK_SUBMIT_ARGS="--executor-memory 1g --total-executor-cores 2" \
#     submit/train.sh conf/mnist-simple.properties
#   submit/standalone-cluster.sh stop
# Master UI: http://127.0.0.1:8080. Logs and work folders: target/standalone/.
set -euo pipefail
FFSPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$FFSPARK_HOME/target/standalone"
PORT="${FFSPARK_MASTER_PORT:-7077}"
UI_PORT="${FFSPARK_MASTER_UI_PORT:-8080}"

stop() {
  for pid_file in "$DIR"/*.pid; do
    [ -e "$pid_file" ] || continue
    pid="$(cat "$pid_file")"
    # The executors are the workers' children.
    pkill -9 -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
  done
}

case "${1:-}" in
  -h|--help)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
    ;;
  start)
    workers="${2:-2}"
    [ -d "$FFSPARK_HOME/target/jars" ] || (cd "$FFSPARK_HOME" && mvn -B -q package -DskipTests)
    stop
    mkdir -p "$DIR/spark-home"
    ln -sfn "$FFSPARK_HOME/target/jars" "$DIR/spark-home/jars"
    export SPARK_HOME="$DIR/spark-home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 OPENBLAS_NUM_THREADS=1
    java_cmd=(java -Xmx512m -cp "$FFSPARK_HOME/target/jars/*" "-Dlog4j2.configurationFile=$FFSPARK_HOME/conf/log4j2.properties")
    "${java_cmd[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port "$UI_PORT" \
      > "$DIR/master.log" 2>&1 &
    echo $! > "$DIR/master.pid"
    for w in $(seq 1 "$workers"); do
      mkdir -p "$DIR/worker-$w"
      "${java_cmd[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory "${FFSPARK_WORKER_MEMORY:-1g}" \
        --webui-port $((UI_PORT + w)) --work-dir "$DIR/worker-$w" "spark://127.0.0.1:$PORT" \
        > "$DIR/worker-$w.log" 2>&1 &
      echo $! > "$DIR/worker-$w.pid"
    done
    for _ in $(seq 1 120); do
      alive=$(curl -s "http://127.0.0.1:$UI_PORT/json/" | grep -o '"state" *: *"ALIVE"' | wc -l || true)
      if [ "$alive" -ge "$workers" ]; then
        echo "standalone cluster up: spark://127.0.0.1:$PORT with $workers workers (UI http://127.0.0.1:$UI_PORT)"
        exit 0
      fi
      sleep 0.5
    done
    echo "ffspark: error: the workers did not register; see $DIR/*.log" >&2
    stop
    exit 1
    ;;
  stop) stop; echo "standalone cluster stopped" ;;
  *) echo "usage: submit/standalone-cluster.sh start [WORKERS] | stop" >&2; exit 2 ;;
esac
