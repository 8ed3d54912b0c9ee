#!/usr/bin/env bash
# Tools the tests need beyond pip, installed idempotently (each step skips when already done):
#   - Debian's Chromium: the browser tests of `blueprint report` (Playwright drives it) and
#     the Mermaid CLI's renderer;
#   - @mermaid-js/mermaid-cli (mmdc) into .tools/node_modules (gitignored), told by
#     PUPPETEER_SKIP_DOWNLOAD not to fetch a browser of its own (tests point it at Chromium).
# Tests that need a missing tool skip with a message saying which one and how to get it.
set -euo pipefail
cd "$(dirname "$0")/.."

MERMAID_CLI_VERSION=11.12.0

if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    else
        echo "install-tools: no apt-get; browser tests will skip (install chromium)" >&2
    fi
fi

if [ ! -x .tools/node_modules/.bin/mmdc ] \
    || ! grep -q "\"version\": \"$MERMAID_CLI_VERSION\"" \
        .tools/node_modules/@mermaid-js/mermaid-cli/package.json 2>/dev/null; then
    if command -v npm >/dev/null 2>&1; then
        mkdir -p .tools
        PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund \
            --prefix .tools "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" >/dev/null
    else
        echo "install-tools: no npm; the Mermaid rendering test will skip" >&2
    fi
fi
