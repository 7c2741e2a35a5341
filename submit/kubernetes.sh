#!/usr/bin/env bash
# Trains on Kubernetes, driver included (--deploy-mode cluster):
#   SPARK_HOME=/opt/spark FFSPARK_K8S_MASTER=k8s://https://api.example:6443 \
#   FFSPARK_K8S_IMAGE=registry.example/spark:4.2.0-hadoop-aws FFSPARK_UPLOAD_PATH=s3a://bucket/spark-uploads \
#   FFSPARK_CONF=conf/s3a.properties submit/kubernetes.sh CONF_FILE data=s3a://bucket/mnist out=s3a://bucket/runs/x
# The image must hold Spark 4.2 (Scala 2.13) with hadoop-aws 3.5.0 and the AWS SDK's S3 modules in
# its jars; the application jar and the config file are uploaded to FFSPARK_UPLOAD_PATH for the driver
# pod. Credentials reach the pods as environment variables from a Kubernetes secret, e.g.
#   FFSPARK_SUBMIT_ARGS="--conf spark.kubernetes.driver.secretKeyRef.AWS_ACCESS_KEY_ID=s3:access-key ..."
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  # The comment block at the top of this file is its help.
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'
  exit 0
fi
if [ $# -lt 1 ] || [[ "$1" == *=* ]]; then
  echo "usage: submit/kubernetes.sh CONF_FILE [key=value ...] (-h for help)" >&2; exit 2
fi
for v in FFSPARK_K8S_MASTER FFSPARK_K8S_IMAGE FFSPARK_UPLOAD_PATH; do
  if [ -z "${!v:-}" ]; then echo "ffspark: error: set $v (see the comment at the top of submit/kubernetes.sh)" >&2; exit 2; fi
done
if [ -z "${SPARK_HOME:-}" ] && [ "${FFSPARK_DRY_RUN:-0}" != 1 ]; then
  echo "ffspark: error: Kubernetes submission needs a Spark 4.2 distribution built with Kubernetes support: set SPARK_HOME" >&2; exit 2
fi
[ -r "$1" ] || { echo "ffspark: error: config file not found: $1" >&2; exit 2; }
conf="$1"; shift
export FFSPARK_MASTER="$FFSPARK_K8S_MASTER" FFSPARK_DEPLOY_MODE=cluster
export FFSPARK_FILES="$conf${FFSPARK_FILES:+,$FFSPARK_FILES}"
export FFSPARK_SUBMIT_ARGS="--conf spark.kubernetes.container.image=$FFSPARK_K8S_IMAGE --conf spark.kubernetes.file.upload.path=$FFSPARK_UPLOAD_PATH ${FFSPARK_SUBMIT_ARGS:-}"
exec "$here/ffspark-submit.sh" train "$(basename "$conf")" "$@"
