#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need (Debian packages, the
# JavaScript client) and runs the whole suite. Tests start and stop their own servers.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || missing+=(nginx)
# The browser tests drive Debian's Chromium (playwright-core with executablePath; no browser download).
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v node >/dev/null || { echo "Node.js is needed for the JavaScript client tests" >&2; exit 1; }
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

# The console log is long; a failing run ends by repeating each failed test with its message,
# so the last lines of a CI log name what failed.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if dotnet test Wschat.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"; then
  exit 0
fi
echo
echo "==== failed tests ===="
grep -E -A 40 '^\s+Failed [A-Za-z_]' "$log" | grep -E '^\s+(Failed |Error Message|Stack Trace|at Wschat)|^\s{3}[^ a]' || echo "(no failed test found: the build or the test host failed; see above)"
exit 1
