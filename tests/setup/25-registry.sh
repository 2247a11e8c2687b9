# Sourced by tests/run.sh after 20-dockerd.sh: a local registry for the pull tests.
#
# Runs Debian's docker-registry (installed when missing and we are root) on 127.0.0.1 at a fixed
# port, DOCKERLS_TEST_REGISTRY_PORT (5877 unless set): 20-dockerd.sh starts the test engine first
# and has to name it as an insecure (plain HTTP) registry.  Its configuration and storage live in
# a private temporary folder.  Exports DOCKERLS_TEST_REGISTRY=127.0.0.1:PORT, and registers a
# clean-up that stops only that registry (by its pid) and removes the folder.  When it cannot run,
# it says why and exports DOCKERLS_REGISTRY_SKIP so the registry tests skip with that reason.

_registry_skip() {
  echo "tests/setup/25-registry.sh: $1; the registry tests will skip" >&2
  export DOCKERLS_REGISTRY_SKIP="$1"
  unset DOCKERLS_TEST_REGISTRY
}

_registry_setup() {
  local port=${DOCKERLS_TEST_REGISTRY_PORT:-5877} bin=/usr/bin/docker-registry
  if [ ! -x "$bin" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      _registry_skip "docker-registry not installed (and cannot apt-get install it)"
      return 0
    fi
    # (20-dockerd.sh ran `apt-get update` when it installed the engine; otherwise once here.)
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/tmp/dockerls-apt-registry.log 2>&1 \
        && ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry; } \
          >>/tmp/dockerls-apt-registry.log 2>&1; then
      _registry_skip "apt-get install docker-registry failed (see /tmp/dockerls-apt-registry.log)"
      return 0
    fi
  fi
  DOCKERLS_REGISTRY_DIR=$(mktemp -d /tmp/dkreg.XXXX)
  local d=$DOCKERLS_REGISTRY_DIR
  cat >"$d/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONFIG
  "$bin" serve "$d/config.yml" >"$d/registry.log" 2>&1 &
  DOCKERLS_REGISTRY_PID=$!
  CLEANUP+=("_registry_stop $DOCKERLS_REGISTRY_PID $d")
  local i
  for ((i = 0; i < 100; i++)); do
    if ! kill -0 "$DOCKERLS_REGISTRY_PID" 2>/dev/null; then
      _registry_skip "docker-registry exited at start: $(tail -n 3 "$d/registry.log" | tr '\n' ' ')"
      return 0
    fi
    if command -v curl >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
      break
    fi
    sleep 0.1
  done
  if [ "$i" -ge 100 ]; then
    _registry_skip "docker-registry did not answer on 127.0.0.1:$port within 10 s"
    return 0
  fi
  export DOCKERLS_TEST_REGISTRY="127.0.0.1:$port"
  unset DOCKERLS_REGISTRY_SKIP
  echo "tests/setup/25-registry.sh: registry $DOCKERLS_REGISTRY_PID on $DOCKERLS_TEST_REGISTRY" >&2
}

_registry_stop() {
  local pid=$1 d=$2
  kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
  rm -rf "$d" 2>/dev/null || true
}

_registry_setup
