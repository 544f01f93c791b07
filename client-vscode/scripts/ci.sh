#!/usr/bin/env bash
# Everything CI needs for the VS Code extension, from a fresh clone: install, typecheck,
# lint, unit tests, bundle, bundle the server, package the .vsix, check the .vsix.
# Usage: bash client-vscode/scripts/ci.sh   (PYTHON=python3.X to build with another Python)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
started=$SECONDS

step() {
    printf '\n==> %s (%ss)\n' "$*" "$((SECONDS - started))"
}

step "checking tools"
node --version
npm --version
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), f"Python 3.10+ is needed to bundle the server, not {sys.version}"; print(sys.version)'

step "npm ci"
npm ci --no-audit --no-fund

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "unit tests"
npm test

step "bundle the extension"
npm run --silent bundle

step "bundle the server into bundled/libs"
PYTHON="$PYTHON" bash scripts/bundle-server.sh

step "package the .vsix"
version="$(node -p 'require("./package.json").version')"
vsix="mlreview-${version}.vsix"
rm -f "$vsix"
# vsce's own secret scan is skipped (package.json): it takes over 20 minutes on the
# ~6,000 files of the bundled Python libraries. check-vsix refuses .env files instead.
npm run --silent package

step "check the .vsix and its bundled server"
node scripts/check-vsix.mjs "$vsix" --python "$PYTHON"

step "done: client-vscode/$vsix ($(du -h "$vsix" | cut -f1))"
