#!/usr/bin/env bash
# Trains a Forward-Forward network: submit/train.sh [CONF_FILE] [key=value ...]
# Keys and defaults: README.md, "Configuration". Master: FFSPARK_MASTER (default local[*]).
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" train "$@"
