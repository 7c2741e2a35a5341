#!/usr/bin/env bash
# Predicts with a saved model: submit/predict.sh MODEL INPUT OUT [format=csv|parquet] [labels=IDX_LABELS]
#   [invert=true] [partitions=N] [overwrite=true]
# INPUT is an IDX image file (plain or gzip) or a folder of 28x28 PNGs; OUT gets, per image, the
# predicted label and the goodness of every label.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" predict "$@"
