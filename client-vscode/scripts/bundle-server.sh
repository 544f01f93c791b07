#!/usr/bin/env bash
# Installs the mlreview server and its libraries into bundled/libs, from the repository
# root, for the extension's default importStrategy (useBundled).
# Usage: bash scripts/bundle-server.sh   (PYTHON=python3.X to build with another Python)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
pip_target=("$PYTHON" -m pip install --disable-pip-version-check --quiet --no-compile --target bundled/libs)

rm -rf bundled/libs
"${pip_target[@]}" ..
# tomli is a dependency only below Python 3.11: bundle its pure-Python wheel so that a
# 3.10 interpreter can run a bundle built with a newer Python.
"${pip_target[@]}" --no-deps --only-binary=:all: --platform any --implementation py --python-version 3.10 tomli
# libcst's parser is compiled per CPython version: add the other versions' builds.
"$PYTHON" scripts/add_native_extensions.py bundled/libs libcst
# Console scripts carry this machine's interpreter path: useless inside the extension.
rm -rf bundled/libs/bin
echo "bundle-server: $(find bundled/libs -type f | wc -l) files, $(du -sh bundled/libs | cut -f1) in bundled/libs"
