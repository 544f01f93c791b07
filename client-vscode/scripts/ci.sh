#!/usr/bin/env bash
# Everything CI needs for the VS Code extension, from a fresh clone: install, typecheck,
# lint, unit tests, package the .vsix for this machine's platform, check the .vsix.
# Other platforms: bash scripts/package.sh linux-arm64 darwin-x64 darwin-arm64 win32-x64 (or all).
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

step "package the .vsix for this machine (vscode:prepublish bundles the extension and the server)"
target="$("$PYTHON" scripts/platform_tags.py --host)"
version="$(node -p 'require("./package.json").version')"
vsix="mlreview-$target-$version.vsix"
PYTHON="$PYTHON" bash scripts/package.sh "$target"

step "check the .vsix and its bundled server"
node scripts/check-vsix.mjs "$vsix" --python "$PYTHON"

step "done: client-vscode/$vsix ($(du -h "$vsix" | cut -f1))"
