#!/usr/bin/env bash
# Runs a hyper-parameter grid in one Spark application: submit/grid.sh GRID_CONF [key=value ...]
# The grid file format is in docs/grids.md. Re-running with the same out reuses finished points.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" grid "$@"
