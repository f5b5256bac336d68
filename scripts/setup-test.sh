#!/usr/bin/env bash
# Everything `make test` needs before pytest: venv + extras, Debian chromium (installed in
# parallel with pip), and the Solara browser assets (npm pack into .assets/solara-cdn).
#   scripts/setup-test.sh [EXTRAS]
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=${1:-viz,cluster,test,browser}
VENV=${VENV:-.venv}
t0=$(date +%s)

chromium_log=$(mktemp)
trap 'rm -f "$chromium_log"' EXIT
bash scripts/ensure-chromium.sh >"$chromium_log" 2>&1 &
chromium_pid=$!

bash scripts/bootstrap.sh "$EXTRAS"

if wait "$chromium_pid"; then
    cat "$chromium_log"
else
    cat "$chromium_log" >&2
    echo "setup-test: chromium set-up failed" >&2
    exit 1
fi

"$VENV/bin/python" -m sim.app.assets ${ASSETS_DIR:+--dir "$ASSETS_DIR"}
echo "setup-test: ready in $(( $(date +%s) - t0 )) s"
