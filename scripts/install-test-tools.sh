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

# schemathesis fuzzes the API from its OpenAPI document (test/deploy/schemathesis.e2e.spec.ts);
# same venv, pinned like moto. Without it that test skips saying why.
SCHEMATHESIS_VERSION=4.32.5
if [ ! -x tools/venv/bin/schemathesis ] || [ "$(tools/venv/bin/schemathesis --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  echo "Installing schemathesis $SCHEMATHESIS_VERSION into tools/venv ..." >&2
  tools/venv/bin/python -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

# Debian packages, installed together in one apt run when any is missing:
# - prometheus-alertmanager: a real Alertmanager delivers webhooks in
#   test/real-senders/alertmanager.e2e.spec.ts. Debian installs the binary as
#   /usr/bin/prometheus-alertmanager (plus amtool). Without it that test skips saying why.
# - chromium (and fonts-liberation, so pages render the same text everywhere): the browser
#   tests (test/browser/, apps/web) drive Debian's /usr/bin/chromium through playwright-core;
#   Playwright's own browser downloads are never used. Without it those tests fail saying
#   how to install it. FIREBREAK_CHROMIUM_BIN names another Chromium instead.
# - postgresql: the throw-away PostgreSQL of scripts/postgres.mjs (test/postgres.ts and
#   `npm run cluster`) runs its newest /usr/lib/postgresql/<version>/bin. The package's own
#   service stays stopped (see below); the tests make their own data folders.
# Alertmanager's postinst starts the packaged service through invoke-rc.d and fails the
# install when that fails; the tests run their own Alertmanager, so a policy-rc.d answering
# 101 ("action forbidden") keeps any service from starting during the install. Any existing
# policy-rc.d is put back afterwards. Needs root (CI runs this script as root); otherwise it
# only warns.
apt_packages=()
if ! command -v alertmanager >/dev/null 2>&1 && ! command -v prometheus-alertmanager >/dev/null 2>&1; then
  apt_packages+=(prometheus-alertmanager)
fi
if [ -n "${FIREBREAK_CHROMIUM_BIN:-}" ]; then
  if [ ! -x "$FIREBREAK_CHROMIUM_BIN" ]; then
    echo "FIREBREAK_CHROMIUM_BIN=$FIREBREAK_CHROMIUM_BIN is not an executable file; unset it to use Debian's chromium." >&2
    exit 1
  fi
elif [ ! -x /usr/bin/chromium ]; then
  apt_packages+=(chromium)
  dpkg -s fonts-liberation >/dev/null 2>&1 || apt_packages+=(fonts-liberation)
fi
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  apt_packages+=(postgresql)
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages (${apt_packages[*]}) and this is not root: run 'sudo bash scripts/install-test-tools.sh'." >&2
    echo "Until then the Alertmanager end-to-end test skips and the browser and PostgreSQL tests fail, each saying why." >&2
  elif ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing ${apt_packages[*]} and there is no apt-get: put 'alertmanager' on PATH (or set FIREBREAK_ALERTMANAGER_BIN)" >&2
    echo "and set FIREBREAK_CHROMIUM_BIN to a Chromium executable; PostgreSQL is looked for in /usr/lib/postgresql." >&2
    exit 1
  else
    echo "Installing ${apt_packages[*]} (apt) ..." >&2
    policy=/usr/sbin/policy-rc.d
    policy_backup=
    apt_log=$(mktemp)
    restore_policy() {
      if [ -n "$policy_backup" ]; then mv -f "$policy_backup" "$policy"; else rm -f "$policy"; fi
      rm -f "$apt_log"
    }
    trap restore_policy EXIT
    trap 'exit 130' INT TERM
    if [ -e "$policy" ] || [ -L "$policy" ]; then
      policy_backup=$(mktemp "$policy.firebreak.XXXXXX")
      mv -f "$policy" "$policy_backup"
    fi
    printf '#!/bin/sh\n# Written by firebreak scripts/install-test-tools.sh for one install; removed after it.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"; } >"$apt_log" 2>&1; then
      cat "$apt_log" >&2
      echo "Installing ${apt_packages[*]} failed (output above)." >&2
      exit 1
    fi
    restore_policy
    trap - EXIT INT TERM
  fi
fi
