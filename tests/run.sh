#!/usr/bin/env bash
# The whole test suite, on a fresh machine: makes a virtual environment in .venv, installs
# dockerls with its test dependencies into it, runs each tests/setup/*.sh (they install and start
# what the tests need: a Docker engine, editors, ...), runs pytest, and stops what they started.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
export PATH="$PWD/.venv/bin:$PATH"

# Setup scripts are sourced in order; each may export variables for the tests and append
# commands to CLEANUP, which run when this script exits (whatever the outcome).
CLEANUP=()
cleanup() {
  local i
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[$i]}" || true; done
}
trap cleanup EXIT
for setup in tests/setup/*.sh; do
  [ -e "$setup" ] || continue
  # shellcheck source=/dev/null
  source "$setup"
done

.venv/bin/python -m pytest "$@"
