#!/usr/bin/env bash
# Writes a model's weights as a safetensors file for PyTorch and NumPy:
#   submit/export.sh MODEL OUT.safetensors [overwrite=true]
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" export "$@"
