#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, npm packages, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

# Install (or reinstall) npm packages when node_modules is missing, older than the lockfile, or lacks the
# keychain binding (keytar is optional and is skipped when libsecret was missing at install time).
# `npm install`, not `npm ci`: the registry mirror here lacks node-llama-cpp's binaries for other platforms,
# which `npm ci` counts as a lockfile mismatch; `npm install` still installs exactly the locked versions.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || ! node -e "require('keytar')" >/dev/null 2>&1; then
  npm install --no-audit --no-fund
fi

npx tsc --noEmit -p tsconfig.json
npx eslint .
npx vitest run "$@"
