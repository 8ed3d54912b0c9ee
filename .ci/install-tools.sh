#!/usr/bin/env bash
# Tools the tests use that pip does not bring; idempotent, so CI may run it on every build.
# Tests that need a missing tool skip with a message saying which one and how to get it.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages:
#   - zsh, fish: the shell completion tests run the generated scripts in them (bash is always
#     there);
#   - chromium: the browser tests of `blueprint report` (Playwright drives it) and the Mermaid
#     CLI's renderer (tests/report/).
missing=()
for tool in zsh fish chromium; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    # Not fatal: without them the tests that need them skip, saying so.
    { $SUDO apt-get update -q \
        && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
            "${missing[@]}" fonts-dejavu-core; } \
        || echo "install-tools: could not install ${missing[*]}; the tests that need them will skip" >&2
fi

# Editor hover docs are verified through the YAML language server itself
# (tests/cli/test_editor_hover.py looks for .tools/node_modules/.bin/yaml-language-server).
YAML_LANGUAGE_SERVER=1.25.0  # 2.x needs node 22
if [ "$(cat .tools/.yaml-language-server 2>/dev/null)" != "$YAML_LANGUAGE_SERVER" ]; then
    npm install --prefix .tools --no-audit --no-fund "yaml-language-server@$YAML_LANGUAGE_SERVER"
    echo "$YAML_LANGUAGE_SERVER" > .tools/.yaml-language-server
fi

# Every graph view must render with the Mermaid CLI (tests/report/test_mermaid_cli.py looks
# for .tools/node_modules/.bin/mmdc). PUPPETEER_SKIP_DOWNLOAD: no browser download of its own;
# the tests point it at Debian's Chromium.
MERMAID_CLI=11.12.0
if [ "$(cat .tools/.mermaid-cli 2>/dev/null)" != "$MERMAID_CLI" ]; then
    PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .tools --no-audit --no-fund \
        "@mermaid-js/mermaid-cli@$MERMAID_CLI"
    echo "$MERMAID_CLI" > .tools/.mermaid-cli
fi
