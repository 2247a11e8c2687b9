# Sourced by tests/run.sh: a private Docker engine for tests/engine and tests/develop.
#
# Installs docker.io and busybox-static (the tests' base image is made from busybox) when they are
# missing and we are root, starts dockerd on a socket in a short temporary folder (no bridge, no
# iptables: containers get loopback only), waits for it, exports DOCKER_HOST, and registers a
# clean-up that stops only that dockerd (by its pid) and removes the folder.  When any of this is
# not possible it says why on stderr and exports DOCKERLS_ENGINE_SKIP so the engine tests skip with
# that reason; the rest of the suite runs either way.

_dockerd_skip() {
  echo "tests/setup/20-dockerd.sh: $1; the engine tests will skip" >&2
  export DOCKERLS_ENGINE_SKIP="$1"
}

_dockerd_setup() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v busybox >/dev/null 2>&1 || [ -x /bin/busybox ] || missing+=(busybox-static)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      _dockerd_skip "${missing[*]} not installed and not root (cannot apt-get install)"
      return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
      _dockerd_skip "${missing[*]} not installed and no apt-get here"
      return 0
    fi
    echo "tests/setup/20-dockerd.sh: installing ${missing[*]}" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
        >/tmp/dockerls-apt-docker.log 2>&1; then
      _dockerd_skip "apt-get install ${missing[*]} failed (see /tmp/dockerls-apt-docker.log)"
      return 0
    fi
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    _dockerd_skip "dockerd is not installed"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    _dockerd_skip "not root: cannot start a private dockerd"
    return 0
  fi

  # A short folder: the socket path must fit in 108 bytes.
  DOCKERLS_DOCKERD_DIR=$(mktemp -d /tmp/dk.XXXX)
  local d=$DOCKERLS_DOCKERD_DIR
  # The local registry of 25-registry.sh speaks plain HTTP at a fixed port on 127.0.0.1.
  dockerd --bridge=none --iptables=false --ip-masq=false \
    --insecure-registry "127.0.0.1:${DOCKERLS_TEST_REGISTRY_PORT:-5877}" \
    --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/docker.sock" --pidfile "$d/pid" \
    >"$d/dockerd.log" 2>&1 &
  DOCKERLS_DOCKERD_PID=$!
  CLEANUP+=("_dockerd_stop $DOCKERLS_DOCKERD_PID $d")

  local i
  for ((i = 0; i < 600; i++)); do
    if [ -S "$d/docker.sock" ] && kill -0 "$DOCKERLS_DOCKERD_PID" 2>/dev/null; then
      # The socket exists a moment before the API answers.
      if command -v curl >/dev/null 2>&1; then
        curl -sf --unix-socket "$d/docker.sock" http://localhost/_ping >/dev/null 2>&1 && break
      else
        sleep 0.5
        break
      fi
    fi
    if ! kill -0 "$DOCKERLS_DOCKERD_PID" 2>/dev/null; then
      _dockerd_skip "dockerd exited at start: $(tail -n 3 "$d/dockerd.log" | tr '\n' ' ')"
      return 0
    fi
    sleep 0.1
  done
  if [ "$i" -ge 600 ]; then
    _dockerd_skip "dockerd did not answer within 60 s (log: $d/dockerd.log)"
    return 0
  fi
  export DOCKER_HOST="unix://$d/docker.sock"
  unset DOCKERLS_ENGINE_SKIP
  echo "tests/setup/20-dockerd.sh: dockerd $DOCKERLS_DOCKERD_PID on $DOCKER_HOST" >&2
}

# Stop the dockerd this script started (only that pid), wait for it, remove its folder.
_dockerd_stop() {
  local pid=$1 d=$2 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  # dockerd unmounts its layers when it stops; whatever is still mounted is left rather than forced.
  rm -rf "$d" 2>/dev/null || true
}

_dockerd_setup
