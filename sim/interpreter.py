"""Whether the Python running ``run.py`` can run the project, before anything is imported.

Run with another Python than the project's (a system ``python`` 3.11 after ``make run`` made
``.venv``), a command failed deep inside with "ModuleNotFoundError: No module named
'llvmlite' (unexpected: ... please report it)". :func:`refuse_unfit_python` says instead what
is wrong and what to type. Standard library only: it must run on any Python 3.
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

NEEDS = (3, 12)
# the modules the command line imports, as pyproject.toml's dependencies provide them
MODULES = ("numpy", "pandas", "numba", "mesa", "matplotlib", "scipy", "networkx", "tqdm",
           "PIL", "SALib", "isal", "orjson")
ROOT = Path(__file__).resolve().parents[1]
EXIT_UNFIT = 2  # bad input: reported before anything runs (sim/cli.py)


def missing_modules(modules=MODULES) -> list[str]:
    """The ``modules`` this Python cannot import (found without importing them)."""
    out = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                out.append(name)
        except (ImportError, ValueError):
            out.append(name)
    return out


def unfit_message(version=sys.version_info, missing=None, argv=None) -> str | None:
    """What to tell a user whose Python cannot run the project (None when it can)."""
    if tuple(version[:2]) >= NEEDS:
        missing = missing_modules() if missing is None else missing
        if not missing:
            return None
        why = f"it does not have the project's packages ({', '.join(missing)} missing)"
    else:
        why = f"the project needs Python {NEEDS[0]}.{NEEDS[1]} or newer"
    shown = ".".join(str(v) for v in version[:3])
    args = shlex.join(list(sys.argv[1:] if argv is None else argv))
    venv = ROOT / ".venv" / "bin" / "python"
    own = (f"    .venv/bin/python run.py {args}".rstrip() if venv.exists() else
           "    make run        (sets up .venv with Python 3.12 and the packages, once)")
    return (f"error: this Python ({sys.executable}, {shown}) cannot run kindliness-sim: {why}.\n"
            f"Run the command with the project's own Python:\n{own}\n"
            "or install the project into a Python 3.12 or newer: "
            "python -m pip install -e '.[viz]'")


def refuse_unfit_python() -> None:
    """Exit with status 2 and :func:`unfit_message` when this Python cannot run the
    project."""
    message = unfit_message()
    if message:
        print(message, file=sys.stderr)
        raise SystemExit(EXIT_UNFIT)
