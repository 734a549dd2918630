#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png (shown in the README) from the browser tests: a real hub, real
# pages in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fonts for the Chinese text and emoji on the pages (the tests themselves don't need them).
if ! fc-list | grep -qi "WenQuanYi"; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends fonts-wqy-microhei fonts-noto-color-emoji
fi
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
WSCHAT_SCREENSHOT_DIR="$PWD/docs/screenshots" dotnet test tests/Wschat.Tests -c Release --filter "FullyQualifiedName~BrowserTests"
ls -l docs/screenshots
