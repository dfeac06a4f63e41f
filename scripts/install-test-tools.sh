#!/usr/bin/env bash
# System tools the test suite needs beyond Node and Go. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
need_go=true
command -v temporal >/dev/null 2>&1 && need_go=false
[ -x tools/bin/temporal ] && need_go=false
if $need_go && ! command -v go >/dev/null 2>&1; then
  echo "Neither a Temporal CLI nor Go is available; install Go 1.23+ (or put 'temporal' on PATH)." >&2
  exit 1
fi

# moto's server stands in for AWS ECS in the adapter tests (activities/deploy, activities/scaling).
# A private venv under tools/ keeps it off the system Python; the version is pinned.
MOTO_VERSION=5.2.5
if [ ! -x tools/venv/bin/moto_server ] || ! tools/venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 (3.9+) is needed for the ECS adapter tests (moto server); install it and re-run." >&2
    exit 1
  fi
  echo "Installing moto[server] $MOTO_VERSION into tools/venv ..." >&2
  python3 -m venv tools/venv
  tools/venv/bin/python -m pip install --quiet "moto[server]==$MOTO_VERSION"
fi
