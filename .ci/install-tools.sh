#!/usr/bin/env bash
# Tools the tests use that pip does not bring; idempotent, so CI may run it on every build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Shell completion tests run the generated scripts in zsh and fish (bash is always there).
missing=()
for shell in zsh fish; do
    command -v "$shell" >/dev/null 2>&1 || missing+=("$shell")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    # Not fatal: without them the zsh and fish completion tests skip, saying so.
    { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
        || echo "install-tools: could not install ${missing[*]}; their completion tests will skip" >&2
fi

# Editor hover docs are verified through the YAML language server itself
# (tests/cli/test_editor_hover.py looks for .tools/node_modules/.bin/yaml-language-server).
YAML_LANGUAGE_SERVER=1.25.0  # 2.x needs node 22
if [ "$(cat .tools/.yaml-language-server 2>/dev/null)" != "$YAML_LANGUAGE_SERVER" ]; then
    npm install --prefix .tools --no-audit --no-fund "yaml-language-server@$YAML_LANGUAGE_SERVER"
    echo "$YAML_LANGUAGE_SERVER" > .tools/.yaml-language-server
fi
