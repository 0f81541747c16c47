#!/usr/bin/env bash
# apt-install-missing.sh WHAT PKG…: installs the given Debian packages (already found missing
# by the caller) when running as root with apt-get, else says what to install and fails.
# WHAT names who needs them, for the messages.
set -euo pipefail
what="$1"
shift
if [ $# -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages for $what: $* (install them with apt-get as root)" >&2
  exit 1
fi
echo "installing system packages for $what: $*" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "$@" >/dev/null
