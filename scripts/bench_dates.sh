#!/usr/bin/env bash
# Compare our French date resolver with dateparser and Duckling on date sets.
# The two libraries conflict with Rasa's pins, so they live in their own venv,
# .venv-bench, created on first use from the project venv's base interpreter.
# Usage: scripts/bench_dates.sh [--set PATH ...]   (default: tests/dates/heldout.yml)
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=.venv-bench
if [[ ! -x "$BENCH/bin/python" ]] || ! "$BENCH/bin/python" -c 'import dateparser, duckling, yaml' 2>/dev/null; then
    "$(.venv/bin/python -c 'import sys;print(sys._base_executable)')" -m venv "$BENCH"
    "$BENCH/bin/pip" install -q --disable-pip-version-check \
        dateparser==1.5.0 pyduckling-native-phihos==0.4.0 pyyaml
fi
PYTHONPATH=. "$BENCH/bin/python" scripts/bench_dates.py "$@"
