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
