#!/usr/bin/env bash
# Trains a Forward-Forward network: submit/train.sh [CONF_FILE] [key=value ...]
# Keys and defaults: submit/train.sh --keys, or docs/configuration.md. Master: FFSPARK_MASTER (default local[*]).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" train "$@"
