#!/usr/bin/env bash
# Install from the lock file, compile (tsc, strict), run the unit tests (node:test, no VS Code
# needed) and package the .vsix.  Called by tests/editors/test_vscode_extension.py.
set -euo pipefail
cd "$(dirname "$0")"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
npm ci --no-fund --no-audit --loglevel=error
npm run --silent compile
npm test
npx --no-install vsce package --allow-missing-repository --out dockerls.vsix </dev/null
