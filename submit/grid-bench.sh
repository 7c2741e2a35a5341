#!/usr/bin/env bash
# Runs the same grid one point at a time and two at a time and prints both wall times and their
# ratio: submit/grid-bench.sh [GRID_CONF] [key=value ...]
# Default: the notebook's six hidden sizes, 2 epochs each on 5000 images, in local[2].
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
export FFSPARK_MASTER="${FFSPARK_MASTER:-local[2]}"
here="$(dirname "${BASH_SOURCE[0]}")"
if [ $# -eq 0 ]; then
  set -- "$here/../conf/grid-hidden-sizes.properties" epochs=2 trainLimit=5000 out=target/grid-bench
fi
exec "$here/ffspark-submit.sh" grid-bench "$@"
