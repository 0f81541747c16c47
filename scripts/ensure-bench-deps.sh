#!/usr/bin/env bash
# Installs the Debian packages the benchmarks use when they are missing: wrk (the online
# benchmark's load generator) and python3-sklearn (the quality benchmark's reference models,
# run with /usr/bin/python3). Runs before `npm run bench`; a no-op when all are present.
set -euo pipefail
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || need+=(python3-sklearn)
exec bash "$(dirname "$0")/apt-install-missing.sh" "the benchmarks" "${need[@]}"
