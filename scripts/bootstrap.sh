#!/usr/bin/env bash
# Make (or reuse) the project venv and install the package editable with the given extras.
#   scripts/bootstrap.sh [EXTRAS]      e.g. viz   or   viz,cluster,test,browser
# Env: VENV (default .venv), PYTHON (interpreter to build the venv from; else found by
# scripts/find-python.sh), KINDLINESS_INSTALLER (auto|uv|pip; auto = uv, installed into the
# venv from PyPI, falling back to pip). Idempotent: a stamp in the venv records a hash of pyproject.toml
# (and of this script) and the extras installed; a second run with nothing changed takes well
# under a second. Never deletes a working venv; one whose Python is < 3.12 is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS=${1:-viz}
VENV=${VENV:-.venv}
STAMP="$VENV/.kindliness-setup"
t0=$(date +%s)

venv_ok() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' \
            >/dev/null 2>&1 &&
        "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

if ! venv_ok; then
    PY=$(bash scripts/find-python.sh)
    if [ -e "$VENV" ]; then
        echo "setup: $VENV exists but has no working Python >= 3.12 with pip; rebuilding it with $PY"
        "$PY" -m venv --clear "$VENV"
    else
        echo "setup: creating $VENV with $PY ($("$PY" -V 2>&1))"
        "$PY" -m venv "$VENV"
    fi
    rm -f "$STAMP"
fi

hash=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -c1-16)
old_hash="" old_extras=""
if [ -f "$STAMP" ]; then read -r old_hash old_extras <"$STAMP" || true; fi

# extras wanted now, plus those already installed (so `make run` after `make test` keeps them)
all=$(printf '%s\n' ${EXTRAS//,/ } ${old_extras//,/ } | sed '/^$/d' | sort -u | paste -sd, -)
have=$(printf '%s\n' ${old_extras//,/ } | sed '/^$/d' | sort -u | paste -sd, -)

# The project's own modules as bytecode, every time (a second of work at most; nothing when
# they are up to date): a machine that sets PYTHONDONTWRITEBYTECODE (this one does) otherwise
# compiles every imported module from source in every process, a few seconds a start
compile_project() {
    "$VENV/bin/python" -m compileall -q run.py sim bench >/dev/null 2>&1 || true
}

if [ "$hash" = "$old_hash" ] && [ "$all" = "$have" ]; then
    compile_project
    echo "setup: $VENV up to date (extras: ${have:-none})"
    exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
noise="is ignored: it is neither a file nor a directory"  # this machine's pip config

# Installer: uv (about 20 s for everything, against 1.5-3 minutes for pip on 2 cores) unless
# KINDLINESS_INSTALLER=pip, or the project depends on torch (uv ignores the machine's pip
# constraints and local wheels and would fetch a multi-GB CUDA build). Any uv failure falls
# back to pip.
installer=${KINDLINESS_INSTALLER:-auto}
if [ "$installer" = auto ]; then
    if grep -qiE '"(torch|torchvision|torchaudio)[^a-z_-]' pyproject.toml; then installer=pip
    else installer=uv; fi
fi
if [ "$installer" = uv ] && [ ! -x "$VENV/bin/uv" ]; then
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q uv >"$log" 2>&1 ||
        { echo "setup: could not install uv; using pip"; installer=pip; }
fi

installed=0
if [ "$installer" = uv ]; then
    echo "setup: installing kindliness-sim[$all] into $VENV (uv)"
    # --compile-bytecode: the libraries as bytecode too (pip does it by default, uv does not)
    if "$VENV/bin/uv" pip install --quiet --compile-bytecode --python "$VENV/bin/python" \
        -e ".[$all]" >"$log" 2>&1
    then
        installed=1
    else
        cat "$log" >&2
        echo "setup: uv failed; trying pip" >&2
    fi
fi
if [ "$installed" = 0 ]; then
    echo "setup: installing kindliness-sim[$all] into $VENV (pip; 1-3 minutes on a new machine)"
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -q -e ".[$all]" \
        >"$log" 2>&1; then
        grep -v "$noise" "$log" >&2 || true
        echo "setup: pip install failed (see above)" >&2
        exit 1
    fi
fi
grep -v "$noise" "$log" || true
"$VENV/bin/python" -m pip check >/dev/null 2>&1 ||
    echo "setup: warning: pip check reports conflicts ($VENV/bin/python -m pip check)" >&2
compile_project
echo "$hash $all" >"$STAMP"
echo "setup: done in $(( $(date +%s) - t0 )) s"
