#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests if /usr/bin/chromium is missing.
# Never downloads a Playwright browser (that fails on machines without general internet).
set -euo pipefail
CHROMIUM=${KINDLINESS_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi
if [ "$(id -u)" = 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "error: $CHROMIUM is missing and this user cannot apt-get install it." >&2
    echo "       As root: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $CHROMIUM is missing and there is no apt-get; install Chromium and set" >&2
    echo "       KINDLINESS_CHROMIUM=/path/to/chromium" >&2
    exit 1
fi
t0=$(date +%s)
echo "chromium: installing Debian's chromium (apt-get; under a minute)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "error: apt-get installed chromium but $CHROMIUM is missing" >&2; exit 1; }
echo "chromium: $("$CHROMIUM" --version 2>/dev/null) installed in $(( $(date +%s) - t0 )) s"
