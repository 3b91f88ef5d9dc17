#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, npm packages, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

# Install (or reinstall) npm packages when node_modules is missing, older than the lockfile, or lacks the
# keychain binding (keytar is optional and is skipped when libsecret was missing at install time).
# `npm ci`: exactly what package-lock.json holds, which lists every platform's optional packages (node-llama-cpp
# is pinned to a release whose fourteen platform packages are all on the registry), so every OS installs what
# was tested.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || ! node -e "require('keytar')" >/dev/null 2>&1; then
  npm ci --no-audit --no-fund
fi

npx tsc --noEmit -p tsconfig.json
npx eslint .
npx vitest run "$@"
