#!/usr/bin/env bash
# Shared by the submit/ scripts: builds the application if needed, then runs spark-submit with the
# ffspark main class and the given arguments (COMMAND [ARGS ...]). -h, --help and --keys, and train
# without arguments, print usage without starting Spark.
#
#   SPARK_HOME            use $SPARK_HOME/bin/spark-submit; unset: the project's own jars (target/jars)
#   FFSPARK_YARN_ARCHIVE  without SPARK_HOME on YARN: a zip of target/jars already on the cluster;
#                         unset: target/yarn-spark-libs.zip, made here and uploaded with each application
#   FFSPARK_MASTER        Spark master (default local[*])
#   FFSPARK_DRIVER_MEMORY driver heap (default 4g)
#   FFSPARK_SUBMIT_ARGS   extra spark-submit options, e.g. "--conf spark.executor.memory=4g"
#   FFSPARK_CONF          extra Spark properties files, space-separated, e.g. conf/s3a.properties
#   FFSPARK_DEPLOY_MODE   client (default) or cluster: the driver runs on the cluster, and the
#                         logging config is shipped with --files
#   FFSPARK_FILES         files to ship with --files (comma-separated), e.g. the job's config file
#   FFSPARK_BLAS          auto (default), bundled, system, java, or a BLAS library file
#   FFSPARK_VERBOSE       1: print the spark-submit command before running it
#   FFSPARK_DRY_RUN       1: print the command and stop
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
set -euo pipefail

FFSPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_JAR="$FFSPARK_HOME/target/ffspark-0.1.0.jar"
JARS="$FFSPARK_HOME/target/jars"
MASTER="${FFSPARK_MASTER:-local[*]}"
DRIVER_MEMORY="${FFSPARK_DRIVER_MEMORY:-4g}"
# The pure-Java BLAS fallback is vectorised only with jdk.incubator.vector, and the sums of squares use
# it; products=bfloat16 calls oneDNN through Java 17's foreign linker (jdk.incubator.foreign, which later
# Java versions no longer have under that name: added only where the JVM has it).
JAVA_MODULES="--add-modules=jdk.incubator.vector"
if java --list-modules 2>/dev/null | grep -q '^jdk.incubator.foreign@'; then
  JAVA_MODULES="--add-modules=jdk.incubator.vector,jdk.incubator.foreign --enable-native-access=ALL-UNNAMED"
fi
LOG_CONFIG="$FFSPARK_HOME/conf/log4j2.properties"

# Build on the first run and whenever the sources are newer than the jar.
if [ ! -f "$APP_JAR" ] || [ ! -d "$JARS" ] \
   || [ -n "$(find "$FFSPARK_HOME/src/main" "$FFSPARK_HOME/pom.xml" -newer "$APP_JAR" -print -quit)" ]; then
  echo "ffspark: building the application (mvn -B -q package -DskipTests)..." >&2
  # Maven 3.8 writes colour resets even in batch mode; they are taken out so logs stay plain text.
  if ! (cd "$FFSPARK_HOME" && mvn -B -q package -DskipTests 2>&1) | sed 's/\x1b\[[0-9;]*m//g' >&2; then
    echo "ffspark: error: build failed" >&2
    exit 1
  fi
fi

# Usage and export need no Spark: answer them from the application's classes at once.
no_spark=0
[ $# -le 1 ] && [ "${1:-}" != bench ] && [ "${1:-}" != grid-bench ] && no_spark=1
[ "${1:-}" = export ] && no_spark=1
for a in "$@"; do
  case "$a" in -h|--help|--keys) no_spark=1 ;; esac
done
if [ "$no_spark" = 1 ]; then
  # Export reads the model through Hadoop's file systems: Spark's and Hadoop's start-up lines stay quiet,
  # and no address lookup is needed (the loopback-hostname warning).
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  exec java $JAVA_MODULES "-Dlog4j2.configurationFile=$LOG_CONFIG" -cp "$APP_JAR:$JARS/*" org.ffspark.cli.Main "$@" 2> >(grep -v 'Using incubator modules' >&2)
fi

# One BLAS thread per Spark task slot (Spark runs one task per core). The application picks the
# BLAS library itself (the OpenBLAS bundled in target/jars unless FFSPARK_BLAS says otherwise) and
# names it on its first line.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

SUBMIT_OPTS=(--master "$MASTER" --name "ffspark" --class org.ffspark.cli.Main)
# spark-submit takes one properties file: the local defaults (for local masters) and FFSPARK_CONF's
# files are joined into one, later files winning, in a temporary file removed when the run ends.
PROPERTY_FILES=()
# A master on this machine (local, or a cluster on a loopback address): the driver, its block manager
# and its UI bind to 127.0.0.1 and executors are told that address. Elsewhere SPARK_LOCAL_IP (or
# spark.driver.host and spark.driver.bindAddress) chooses them; see docs/deployment.md.
case "$MASTER" in
  local*|spark://127.*|spark://localhost:*|spark://localhost)
    export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
    PROPERTY_FILES+=("$FFSPARK_HOME/conf/spark-defaults.conf")
    ;;
esac
# shellcheck disable=SC2206
PROPERTY_FILES+=(${FFSPARK_CONF:-})
MERGED=""
cleanup() { [ -z "$MERGED" ] || rm -f "$MERGED"; }
trap cleanup EXIT
if [ ${#PROPERTY_FILES[@]} -gt 0 ]; then
  MERGED="$(mktemp "${TMPDIR:-/tmp}/ffspark-submit.XXXXXX.properties")"
  for f in "${PROPERTY_FILES[@]}"; do
    [ -r "$f" ] || { echo "ffspark: error: Spark properties file not found: $f" >&2; exit 2; }
    printf '# from %s\n' "$f" >> "$MERGED"
    cat "$f" >> "$MERGED"
    printf '\n' >> "$MERGED"
  done
  SUBMIT_OPTS+=(--properties-file "$MERGED")
fi
DEPLOY_MODE="${FFSPARK_DEPLOY_MODE:-client}"
case "$DEPLOY_MODE" in
  client)
    SUBMIT_OPTS+=(--driver-memory "$DRIVER_MEMORY"
      --driver-java-options "-Xms$DRIVER_MEMORY -Dlog4j2.configurationFile=$LOG_CONFIG $JAVA_MODULES"
      --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=$LOG_CONFIG $JAVA_MODULES")
    [ -z "${FFSPARK_FILES:-}" ] || SUBMIT_OPTS+=(--files "$FFSPARK_FILES")
    ;;
  cluster)
    # Shipped files land in the driver's and executors' working directories, under their base names.
    SUBMIT_OPTS+=(--deploy-mode cluster --driver-memory "$DRIVER_MEMORY"
      --files "$LOG_CONFIG${FFSPARK_FILES:+,$FFSPARK_FILES}"
      --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties $JAVA_MODULES"
      --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties $JAVA_MODULES")
    ;;
  *) echo "ffspark: error: FFSPARK_DEPLOY_MODE must be client or cluster, got '$DEPLOY_MODE'" >&2; exit 2 ;;
esac
# shellcheck disable=SC2206
EXTRA=(${FFSPARK_SUBMIT_ARGS:-})

if [ -n "${SPARK_HOME:-}" ]; then
  CMD=("$SPARK_HOME/bin/spark-submit")
else
  # spark-submit's own script puts the Hadoop configuration folder on the class path; so do we.
  HADOOP_CP="${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:+${HADOOP_CONF_DIR:+:}$YARN_CONF_DIR}"
  if [ "$MASTER" = yarn ]; then
    # YARN containers get Spark from FFSPARK_YARN_ARCHIVE if it names a copy on the cluster (e.g.
    # hdfs:///apps/ffspark/spark-libs.zip, put there once), else from the project's jars zipped into
    # one archive here and uploaded with each application (one file uploads far faster than 240).
    archive="${FFSPARK_YARN_ARCHIVE:-}"
    if [ -z "$archive" ]; then
      archive="$FFSPARK_HOME/target/yarn-spark-libs.zip"
      if [ "${FFSPARK_DRY_RUN:-0}" != 1 ] && { [ ! -f "$archive" ] || [ -n "$(find "$JARS" -newer "$archive" -print -quit)" ]; }; then
        jar --create --no-compress --file "$archive.tmp" -C "$JARS" . && mv "$archive.tmp" "$archive"
      fi
    fi
    SUBMIT_OPTS+=(--conf "spark.yarn.archive=$archive")
  fi
  # No Spark distribution: run SparkSubmit from the project's jars. In client mode the driver is this
  # JVM, so its heap, logging and module options go on the java command itself. The heap starts at its
  # full size: grown step by step, it made G1 start a concurrent cycle for most of the multi-megabyte
  # weight arrays of a fast epoch (about 0.1 s an epoch of CPU taken from the training).
  CMD=(java "-Xms$DRIVER_MEMORY" "-Xmx$DRIVER_MEMORY" "-Dlog4j2.configurationFile=$LOG_CONFIG"
    $JAVA_MODULES
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
    --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -cp "${HADOOP_CP:+$HADOOP_CP:}$JARS/*" org.apache.spark.deploy.SparkSubmit)
fi
CMD+=("${SUBMIT_OPTS[@]}" ${EXTRA[@]+"${EXTRA[@]}"} "$APP_JAR" "$@")

if [ "${FFSPARK_VERBOSE:-0}" = 1 ] || [ "${FFSPARK_DRY_RUN:-0}" = 1 ]; then
  printf 'ffspark: running:' >&2
  printf ' %q' "${CMD[@]}" >&2
  printf '\n' >&2
fi
[ "${FFSPARK_DRY_RUN:-0}" = 1 ] && exit 0
# Not exec: the merged properties file is removed when the run ends, however it ends. The JVM's one
# line about the incubator module it needs is no news to a user.
"${CMD[@]}" 2> >(grep --line-buffered -v 'WARNING: Using incubator modules' >&2)
