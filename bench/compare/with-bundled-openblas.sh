#!/usr/bin/env bash
# Runs a command (a PyTorch comparison script) on the OpenBLAS ffspark bundles, so both sides of a
# comparison multiply with the same library: Debian's PyTorch calls the BLAS behind libblas.so.3, which on
# a fresh machine is the reference BLAS (a few GFLOP/s). The bundled library must have been unpacked
# once by any ffspark run (~/.cache/ffspark/openblas-*/).
#   bench/compare/with-bundled-openblas.sh python3 bench/compare/loewex_step.py LOEWEX_CHECKOUT data/mnist
# OPENBLAS_NUM_THREADS (default 2) and OPENBLAS_CORETYPE (default Cooperlake, the kernels ffspark picks on
# this project's machine) are passed on.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/ffspark"
library="$(ls -d "$cache"/openblas-*/libopenblas.so.0 2>/dev/null | tail -1)"
if [ -z "$library" ]; then
  echo "with-bundled-openblas: no bundled OpenBLAS under $cache: run any ffspark command once first" >&2
  exit 2
fi
folder="$(mktemp -d)"
trap 'rm -rf "$folder"' EXIT
ln -s "$library" "$folder/libblas.so.3"
LD_LIBRARY_PATH="$folder:$(dirname "$library")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}" OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Cooperlake}" "$@"
