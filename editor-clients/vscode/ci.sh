#!/usr/bin/env bash
# Install from the lock file, compile (tsc, strict) and package the .vsix, and run the unit tests
# (node:test, no VS Code needed).  Called by tests/editors/test_vscode_extension.py.
#
# DOCKERLS_REUSE_NODE_MODULES=1 (the test suite sets it) skips `npm ci` when node_modules is what
# `npm ci` installed from this very package.json and package-lock.json with this Node.js: a stamp
# in node_modules records that.  Any change to them, or another Node.js, installs afresh.
set -euo pipefail
cd "$(dirname "$0")"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
stamp="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1) node $(node --version)"
if [ "${DOCKERLS_REUSE_NODE_MODULES:-}" = 1 ] && [ "$(cat node_modules/.dockerls-npm-ci 2>/dev/null)" = "$stamp" ]; then
  echo "ci.sh: node_modules is npm ci's from this package-lock.json; not installing again"
else
  npm ci --no-fund --no-audit --loglevel=error
  echo "$stamp" >node_modules/.dockerls-npm-ci
fi
# `vsce package` compiles first (package.json's vscode:prepublish: tsc -p ./), so tsc runs once.
npx --no-install vsce package --allow-missing-repository --out dockerls.vsix </dev/null
npm test
