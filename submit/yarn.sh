#!/usr/bin/env bash
# Trains on a YARN cluster, driver included (--deploy-mode cluster):
#   HADOOP_CONF_DIR=/etc/hadoop/conf submit/yarn.sh CONF_FILE data=hdfs:///... out=hdfs:///... [key=value ...]
# The config file is shipped with --files and read by the driver from its working directory, so
# data and out in it (or on the command line) must be cluster paths: hdfs://... or s3a://...
# FFSPARK_DEPLOY_MODE=client keeps the driver here (executors must reach this machine).
# Spark comes from SPARK_HOME if set, else from the project's jars: zipped and uploaded with each
# application, or, with FFSPARK_YARN_ARCHIVE=hdfs:///apps/ffspark/spark-libs.zip, a copy put there once.
# For s3a, add FFSPARK_CONF=conf/s3a.properties and FFSPARK_SUBMIT_ARGS="--packages
# org.apache.hadoop:hadoop-aws:3.5.0" unless the cluster already has hadoop-aws.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  # The comment block at the top of this file is its help.
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
  exit 0
fi
if [ $# -lt 1 ] || [[ "$1" == *=* ]]; then
  echo "usage: submit/yarn.sh CONF_FILE [key=value ...] (-h for help)" >&2; exit 2
fi
if [ -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ] && [ "${FFSPARK_DRY_RUN:-0}" != 1 ]; then
  echo "ffspark: error: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the cluster's Hadoop configuration" >&2; exit 2
fi
if [ "${FFSPARK_DRY_RUN:-0}" != 1 ]; then
  # Without yarn-site.xml the client would retry 0.0.0.0:8032 for a quarter of an hour.
  found=""
  for dir in ${HADOOP_CONF_DIR:-} ${YARN_CONF_DIR:-}; do [ -r "$dir/yarn-site.xml" ] && found=1; done
  [ -n "$found" ] || { echo "ffspark: error: no yarn-site.xml in HADOOP_CONF_DIR or YARN_CONF_DIR (${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:+ $YARN_CONF_DIR})" >&2; exit 2; }
fi
[ -r "$1" ] || { echo "ffspark: error: config file not found: $1" >&2; exit 2; }
conf="$1"; shift
export FFSPARK_MASTER=yarn FFSPARK_DEPLOY_MODE="${FFSPARK_DEPLOY_MODE:-cluster}"
# One attempt: a driver that failed would fail the same way again; resume=true continues a stopped run.
export FFSPARK_SUBMIT_ARGS="--conf spark.yarn.maxAppAttempts=1${FFSPARK_SUBMIT_ARGS:+ $FFSPARK_SUBMIT_ARGS}"
if [ "$FFSPARK_DEPLOY_MODE" = cluster ]; then
  export FFSPARK_FILES="$conf${FFSPARK_FILES:+,$FFSPARK_FILES}"
  exec "$here/ffspark-submit.sh" train "$(basename "$conf")" "$@"
fi
exec "$here/ffspark-submit.sh" train "$conf" "$@"
