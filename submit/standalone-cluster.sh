#!/usr/bin/env bash
# A Spark standalone cluster on this machine (127.0.0.1), from the project's own jars: a Master and
# WORKERS Workers of one core and 1 GiB each (FFSPARK_WORKER_MEMORY=3g for the paper-scale network),
# for trying cluster mode without a Spark distribution.
#   submit/standalone-cluster.sh start [WORKERS]   # default 2; prints the master URL
#   FFSPARK_MASTER=spark://127.0.0.1:7077 FFSPARK_SUBMIT_ARGS="--executor-memory 1g --total-executor-cores 2" \
#     submit/train.sh conf/mnist-simple.properties
#   submit/standalone-cluster.sh stop
# Master UI: http://127.0.0.1:8080. Logs and work folders: target/standalone/.
# FFSPARK_LINK=1gbit (a tc rate; needs root and iproute2) puts each worker in a network namespace of its
# own behind a link of that rate, as on separate machines: the master listens on 10.89.0.1, worker N on
# 10.89.0.(10+N); submit with SPARK_LOCAL_IP=10.89.0.1 FFSPARK_MASTER=spark://10.89.0.1:7077.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
set -euo pipefail
FFSPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$FFSPARK_HOME/target/standalone"
PORT="${FFSPARK_MASTER_PORT:-7077}"
UI_PORT="${FFSPARK_MASTER_UI_PORT:-8080}"

LINK="${FFSPARK_LINK:-}"
HOST=127.0.0.1
[ -z "$LINK" ] || HOST=10.89.0.1

stop() {
  for pid_file in "$DIR"/*.pid; do
    [ -e "$pid_file" ] || continue
    pid="$(cat "$pid_file")"
    # The executors are the workers' children.
    pkill -9 -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
  done
  # The namespaces and the bridge of an FFSPARK_LINK cluster.
  for ns in $(ip netns list 2>/dev/null | awk '/^ffspark-w[0-9]+/ {print $1}'); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show 2>/dev/null | awk -F'[ :@]+' '/ ffspark-h[0-9]+@/ {print $2}'); do
    ip link delete "$link" 2>/dev/null || true
  done
  ip link delete ffspark-br 2>/dev/null || true
}

# Worker $1 in namespace ffspark-w$1, joined to the bridge by a veth pair limited to $LINK each way.
link_worker() {
  local w="$1" ns="ffspark-w$1"
  ip netns add "$ns"
  ip link add "ffspark-h$w" type veth peer name "ffspark-n$w"
  ip link set "ffspark-n$w" netns "$ns"
  ip link set "ffspark-h$w" master ffspark-br up
  ip netns exec "$ns" ip addr add "10.89.0.$((10 + w))/24" dev "ffspark-n$w"
  ip netns exec "$ns" ip link set "ffspark-n$w" up
  ip netns exec "$ns" ip link set lo up
  tc qdisc add dev "ffspark-h$w" root tbf rate "$LINK" burst 256kb latency 50ms
  ip netns exec "$ns" tc qdisc add dev "ffspark-n$w" root tbf rate "$LINK" burst 256kb latency 50ms
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
    if [ -n "$LINK" ]; then
      command -v ip >/dev/null && command -v tc >/dev/null \
        || { echo "ffspark: error: FFSPARK_LINK needs iproute2's ip and tc" >&2; exit 2; }
      ip link add ffspark-br type bridge 2>/dev/null \
        || { echo "ffspark: error: FFSPARK_LINK needs root (network namespaces and a bridge)" >&2; exit 2; }
      ip addr add 10.89.0.1/24 dev ffspark-br
      ip link set ffspark-br up
    fi
    export SPARK_HOME="$DIR/spark-home" SPARK_LOCAL_IP="$HOST" SPARK_SCALA_VERSION=2.13 OPENBLAS_NUM_THREADS=1
    java_cmd=(java -Xmx512m -cp "$FFSPARK_HOME/target/jars/*" "-Dlog4j2.configurationFile=$FFSPARK_HOME/conf/log4j2.properties")
    "${java_cmd[@]}" org.apache.spark.deploy.master.Master --host "$HOST" --port "$PORT" --webui-port "$UI_PORT" \
      > "$DIR/master.log" 2>&1 &
    echo $! > "$DIR/master.pid"
    for w in $(seq 1 "$workers"); do
      mkdir -p "$DIR/worker-$w"
      worker_host="$HOST"
      in_ns=()
      if [ -n "$LINK" ]; then
        link_worker "$w"
        worker_host="10.89.0.$((10 + w))"
        in_ns=(ip netns exec "ffspark-w$w" env SPARK_LOCAL_IP="$worker_host")
      fi
      "${in_ns[@]}" "${java_cmd[@]}" org.apache.spark.deploy.worker.Worker --host "$worker_host" --cores 1 \
        --memory "${FFSPARK_WORKER_MEMORY:-1g}" --webui-port $((UI_PORT + w)) --work-dir "$DIR/worker-$w" \
        "spark://$HOST:$PORT" > "$DIR/worker-$w.log" 2>&1 &
      echo $! > "$DIR/worker-$w.pid"
    done
    for _ in $(seq 1 120); do
      alive=$(curl -s "http://$HOST:$UI_PORT/json/" | grep -o '"state" *: *"ALIVE"' | wc -l || true)
      if [ "$alive" -ge "$workers" ]; then
        echo "standalone cluster up: spark://$HOST:$PORT with $workers workers (UI http://$HOST:$UI_PORT)${LINK:+, each behind a $LINK link}"
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
