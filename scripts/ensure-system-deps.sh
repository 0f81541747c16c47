#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (browser tests: Chromium and Japanese
# fonts) when they are missing. Runs before `npm test`; a no-op when all are present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# grep reads all of fc-list's output (no -q): an early exit would fail the pipe under pipefail.
fc-list 2>/dev/null | grep -i 'ipagothic\|ipag' >/dev/null || need+=(fonts-ipafont-gothic)
exec bash "$(dirname "$0")/apt-install-missing.sh" "the tests" "${need[@]}"
