#!/usr/bin/env bash
# The whole test suite, on a fresh machine: makes a virtual environment in .venv, installs
# dockerls with its test dependencies into it, runs each tests/setup/*.sh (they install and start
# what the tests need: a Docker engine, editors, ...), runs pytest, and stops what they started.
# Extra arguments go to pytest (after ours: `-n 0` runs serially, `-m "not quality"` skips ruff/mypy).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Installing again (pip, then dockerls editable with its test extra) only when pyproject.toml or the
# checkout's place changed since the last install: a no-op install still costs pip a build.
installed=".venv/.dockerls-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $PWD"
if [ "$(cat "$installed" 2>/dev/null)" != "$want" ]; then
  rm -f "$installed"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
  echo "$want" >"$installed"
fi
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

# In parallel (pytest-xdist): a worker per core (PYTEST_XDIST_AUTO_NUM_WORKERS=N to choose), whole
# modules per worker and the Docker engine tests on one (tests/conftest.py says why).
.venv/bin/python -m pytest --numprocesses auto --dist loadfile "$@"
