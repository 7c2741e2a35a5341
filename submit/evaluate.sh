#!/usr/bin/env bash
# Evaluates a saved model: submit/evaluate.sh MODEL DATA [split=test|train] [limit=N] [json=PATH]
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" evaluate "$@"
