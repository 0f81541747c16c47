#!/usr/bin/env bash
# Installs the Debian packages the benchmarks use when they are missing: wrk (the online
# benchmark's load generator) and python3-sklearn (the quality benchmark's reference models,
# run with /usr/bin/python3). Runs before `npm run bench`; a no-op when all are present.
set -euo pipefail
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || need+=(python3-sklearn)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages for the benchmarks: ${need[*]} (install them with apt-get as root)" >&2
  exit 1
fi
echo "installing system packages for the benchmarks: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
