#!/usr/bin/env bash
# YARN and HDFS on this machine (127.0.0.1), from Hadoop's mini clusters (a ResourceManager, NODEMANAGERS
# NodeManagers of 6 GiB and 2 cores each, a NameNode and a DataNode in one JVM), for trying
# submit/yarn.sh without a Hadoop installation. Needs the test classes: the first start builds them.
#   submit/mini-yarn.sh start [NODEMANAGERS]          # default 2; prints the HADOOP_CONF_DIR to use
#   submit/mini-yarn.sh put data/mnist /datasets/mnist
#   HADOOP_CONF_DIR=target/mini-yarn/hadoop-conf SPARK_LOCAL_IP=127.0.0.1 \
#     submit/yarn.sh conf/mnist-simple.properties data=hdfs:///datasets/mnist out=hdfs:///runs/mnist-simple
#   submit/mini-yarn.sh stop
# Logs: target/mini-yarn/yarn-hdfs.log; containers' logs under target/mini-yarn/target/.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
set -euo pipefail
FFSPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$FFSPARK_HOME/target/mini-yarn"
CP_FILE="$FFSPARK_HOME/target/mini-yarn-classpath.txt"

classpath() {
  if [ ! -f "$CP_FILE" ] || [ ! -d "$FFSPARK_HOME/target/test-classes" ] || [ "$FFSPARK_HOME/pom.xml" -nt "$CP_FILE" ]; then
    (cd "$FFSPARK_HOME" && mvn -B -q -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$CP_FILE") >&2 || { echo "ffspark: error: building the test classes failed" >&2; exit 1; }
  fi
  # Hadoop's shaded jars and what they log with: nothing of Spark's on the mini clusters' class path.
  printf '%s' "$FFSPARK_HOME/target/test-classes"
  tr ':' '\n' < "$CP_FILE" | grep -E '/(hadoop-client-|slf4j-|jcl-over-slf4j|log4j-|junit-|opentest4j|bc)[^/]*\.jar$' \
    | sed 's/^/:/' | tr -d '\n'
}

stop() {
  if [ -f "$DIR/pid" ]; then
    pid="$(cat "$DIR/pid")"
    pkill -9 -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR/pid"
  fi
}

case "${1:-}" in
  -h|--help)
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
    ;;
  start)
    nodes="${2:-2}"
    [[ "$nodes" =~ ^[1-9][0-9]*$ ]] || { echo "ffspark: error: NODEMANAGERS must be a positive number, got '$nodes'" >&2; exit 2; }
    cp="$(classpath)"
    stop
    rm -rf "$DIR" && mkdir -p "$DIR"
    (cd "$DIR" && JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}" \
      SPARK_LOCAL_IP=127.0.0.1 OPENBLAS_NUM_THREADS=1 nohup java -Xmx1g \
      "-Dlog4j2.configurationFile=$FFSPARK_HOME/conf/log4j2.properties" -cp "$cp" \
      org.ffspark.cluster.YarnHdfsCluster "$DIR/hadoop-conf" "$nodes" --until-killed > "$DIR/yarn-hdfs.log" 2>&1 &
      echo $! > "$DIR/pid")
    for _ in $(seq 1 180); do
      if grep -q 'yarn-hdfs-cluster ready' "$DIR/yarn-hdfs.log" 2>/dev/null; then
        grep 'yarn-hdfs-cluster ready' "$DIR/yarn-hdfs.log"
        echo "export HADOOP_CONF_DIR=$DIR/hadoop-conf"
        exit 0
      fi
      kill -0 "$(cat "$DIR/pid")" 2>/dev/null || { echo "ffspark: error: the mini clusters exited; see $DIR/yarn-hdfs.log" >&2; exit 1; }
      sleep 1
    done
    echo "ffspark: error: the mini clusters did not start in 3 minutes; see $DIR/yarn-hdfs.log" >&2; stop; exit 1
    ;;
  put)
    [ $# -eq 3 ] || { echo "usage: submit/mini-yarn.sh put LOCAL_PATH HDFS_PATH" >&2; exit 2; }
    [ -e "$2" ] || { echo "ffspark: error: not found: $2" >&2; exit 2; }
    [ -f "$DIR/hadoop-conf/core-site.xml" ] || { echo "ffspark: error: the mini clusters are not running (submit/mini-yarn.sh start)" >&2; exit 2; }
    java -cp "$(classpath)" "-Dlog4j2.configurationFile=$FFSPARK_HOME/conf/log4j2.properties" \
      org.ffspark.cluster.YarnHdfsCluster put "$DIR/hadoop-conf" "$2" "$3"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: submit/mini-yarn.sh start [NODEMANAGERS] | put LOCAL_PATH HDFS_PATH | stop (-h for help)" >&2
    exit 2
    ;;
esac
