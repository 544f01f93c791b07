#!/usr/bin/env bash
# Packages one .vsix per VS Code target, each with that platform's compiled libraries:
# mlreview-TARGET-VERSION.vsix. vsce runs `vscode:prepublish` first, which bundles the
# extension and the server for $MLREVIEW_TARGET.
# Usage: bash scripts/package.sh [TARGET ...]   (default: this machine's target; "all" for every one)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=("$("$PYTHON" scripts/platform_tags.py --host)")
elif [ "${targets[*]}" = all ]; then
    read -r -a targets <<<"$("$PYTHON" scripts/platform_tags.py --targets)"
fi
version="$(node -p 'require("./package.json").version')"

for target in "${targets[@]}"; do
    vsix="mlreview-$target-$version.vsix"
    rm -f "$vsix"
    # vsce's own secret scan is skipped: it takes over 20 minutes on the ~6,000 files of
    # the bundled Python libraries. check-vsix refuses .env files instead.
    MLREVIEW_TARGET="$target" PYTHON="$PYTHON" npx vsce package --target "$target" --no-dependencies \
        --allow-package-all-secrets --allow-package-env-file --out "$vsix"
    echo "package: $vsix ($(du -h "$vsix" | cut -f1))"
done
