#!/usr/bin/env bash
# Create .venv with a Python 3.10 interpreter and install the pinned dependencies.
# Rasa 3.6 needs Python >=3.8,<3.11; the machine's default python3 may be newer.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python310() {
  local candidate
  for candidate in python3.10 "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/3.10*/bin/python3.10")"; do
    for exe in $candidate; do
      if "$exe" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
        echo "$exe"
        return 0
      fi
    done
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  if ! PYTHON=$(find_python310); then
    echo "error: Python 3.10 is required (Rasa 3.6 does not run on 3.11+)." >&2
    echo "Install it (e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10-venv') and run again." >&2
    exit 1
  fi
  echo "Creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi

.venv/bin/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
.venv/bin/python -m pip check
