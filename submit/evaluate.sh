#!/usr/bin/env bash
# Evaluates a saved model: submit/evaluate.sh MODEL DATA [split=test|train] [limit=N] [json=PATH]
exec "$(dirname "${BASH_SOURCE[0]}")/ffspark-submit.sh" evaluate "$@"
