#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (with venv) to stdout, or explain and exit 1.
# Order: $PYTHON, python3.13, python3.12 (PATH; pyenv shims that refuse are skipped),
# pyenv's installs (~/.pyenv/versions/3.1[2-9]*), `pyenv prefix 3.12|3.13`, `uv python find`.
# The machine's default python3 (3.11 here) is never used: Mesa 3.5 needs 3.12.
set -uo pipefail

ok() {  # ok PATH -> true if it runs, is >= 3.12 and can make a venv
    [ -n "${1:-}" ] && [ -x "$1" ] || return 1
    "$1" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 12) else 1)' \
        >/dev/null 2>&1
}

try() { if ok "$1"; then printf '%s\n' "$1"; exit 0; fi; }

if [ -n "${PYTHON:-}" ]; then
    asked=$(command -v "$PYTHON" 2>/dev/null || echo "$PYTHON")
    try "$asked"
    # said, not skipped in silence (a user check: PYTHON=/usr/bin/python3, a 3.11, and a
    # path that did not exist were both passed over without a word)
    if [ ! -x "$asked" ]; then why="not found"
    elif v=$("$asked" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) &&
        "$asked" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
    then why="Python $v, but it cannot make a venv (install its venv package)"
    elif [ -n "${v:-}" ]; then why="Python $v; kindliness-sim needs 3.12 or later (Mesa 3.5)"
    else why="it does not run"; fi
    echo "setup: warning: PYTHON=$PYTHON is not used: $why; looking for another" >&2
fi
for name in python3.13 python3.12; do
    p=$(command -v "$name" 2>/dev/null) && try "$p"
done
for root in "${PYENV_ROOT:-}" "$HOME/.pyenv" /root/.pyenv; do
    [ -n "$root" ] && [ -d "$root/versions" ] || continue
    for p in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3.1[2-9] 2>/dev/null | sort -V); do
        try "$p"
    done
done
if command -v pyenv >/dev/null 2>&1; then
    for v in 3.12 3.13; do
        prefix=$(pyenv prefix "$v" 2>/dev/null) && try "$prefix/bin/python$v"
    done
fi
if command -v uv >/dev/null 2>&1; then
    p=$(uv python find '>=3.12' 2>/dev/null) && try "$p"
fi

cat >&2 <<'MSG'
error: no Python >= 3.12 found (kindliness-sim needs it: Mesa 3.5 requires Python 3.12+).
Tried: $PYTHON, python3.13, python3.12, ~/.pyenv/versions/3.1[2-9]*, `pyenv prefix`, `uv python find`.
Fix one of:
  - install it: apt-get install python3.12-venv (distros that ship it), `pyenv install 3.12`,
    or `uv python install 3.12`;
  - or point at it: make run PYTHON=/path/to/python3.12
MSG
exit 1
