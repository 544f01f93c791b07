#!/usr/bin/env bash
# Installs the mlreview server and its libraries into bundled/libs, from the repository
# root, for the extension's default importStrategy (useBundled), for one VS Code target.
# Usage: bash scripts/bundle-server.sh [TARGET]
#   TARGET: linux-x64 | linux-arm64 | darwin-x64 | darwin-arm64 | win32-x64
#   (default: $MLREVIEW_TARGET, else this machine's). PYTHON=python3.X builds with another Python.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
target="${1:-${MLREVIEW_TARGET:-$("$PYTHON" scripts/platform_tags.py --host)}}"
read -r -a platform_args <<<"$("$PYTHON" scripts/platform_tags.py --pip-args "$target")"
pip=("$PYTHON" -m pip --disable-pip-version-check --quiet)

rm -rf bundled/libs
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# mlreview itself is pure Python: build its wheel, then install it with every dependency
# as the target platform's wheels, for the oldest supported Python (3.10, so that tomli
# comes along); add_native_extensions adds libcst's parser for the newer versions.
"${pip[@]}" wheel --no-deps --wheel-dir "$scratch" ..
"${pip[@]}" install --no-compile --target bundled/libs --only-binary=:all: \
    --implementation cp --python-version 3.10 "${platform_args[@]}" "$scratch"/mlreview-*.whl
"$PYTHON" scripts/add_native_extensions.py bundled/libs libcst
# Console scripts carry this machine's interpreter path: useless inside the extension.
rm -rf bundled/libs/bin
echo "bundle-server ($target): $(find bundled/libs -type f | wc -l) files, $(du -sh bundled/libs | cut -f1) in bundled/libs"
