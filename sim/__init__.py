"""kindliness-sim: an agent-based simulator of community kindliness (see README.md)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from pathlib import Path

CACHE_ENV = "NUMBA_CACHE_DIR"
_KEY_PREFIX = "sim-"
_WARM_MARK = "compiled"  # written in the kernels' folder once the warm-up has compiled them


def source_key(package: Path) -> str:
    """A short key for the state of every Python source file of the package (its path, size
    and modification time): any edit, pull or reinstall changes it."""
    stamps = sorted(
        f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}"
        for path in package.rglob("*.py") if "__pycache__" not in path.parts
        for st in (path.stat(),)
    )
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:16]


def _keep_compiled_rules_apart() -> None:
    """numba keeps a compiled kernel on disk and checks only the kernel's own file before
    using it again: a kernel that calls a kernel in another file (the metrics' row pass calls
    the pairwise sum in sim/sums.py) would go on running the old callee after that
    file changed, and give wrong results without a word. So the compiled kernels are kept in
    a folder named after the state of every source file of the package
    (``sim/__pycache__/numba/<key>``), the folders of earlier states are removed, and any
    change compiles afresh (10-20 s, once). Someone who sets NUMBA_CACHE_DIR themselves keeps
    it, with the key below it. Where the folder cannot be written, numba falls back to its
    own places."""
    package = Path(__file__).resolve().parent
    base = Path(os.environ.get(CACHE_ENV) or package / "__pycache__" / "numba")
    if base.name.startswith(_KEY_PREFIX):  # set by the process that started this one
        base = base.parent
    # this checkout's folders start with a hash of its path: checkouts sharing a
    # NUMBA_CACHE_DIR never remove each other's
    mine = f"{_KEY_PREFIX}{hashlib.sha256(str(package).encode()).hexdigest()[:8]}-"
    key = mine + source_key(package)
    here = base / key
    try:
        here.mkdir(parents=True, exist_ok=True)
        for old in base.glob(mine + "*"):
            if old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return
    os.environ[CACHE_ENV] = str(here)
    config = getattr(sys.modules.get("numba"), "config", None)
    if config is not None:  # numba already imported: it reads the folder when it compiles
        config.CACHE_DIR = str(here)


_keep_compiled_rules_apart()


def kernels_ready() -> bool:
    """Whether the warm-up (sim.model.compile_rules) has compiled this state of the source's
    kernels into their folder: False after an install or an edit, when the next job compiles
    them first (once, about 40 s)."""
    folder = os.environ.get(CACHE_ENV)
    return bool(folder) and (Path(folder) / _WARM_MARK).exists()


def mark_kernels_ready() -> None:
    """Note in the kernels' folder that the warm-up has compiled them (nothing where the
    folder cannot be written: the next job says again that it compiles)."""
    folder = os.environ.get(CACHE_ENV)
    if folder:
        with contextlib.suppress(OSError):
            (Path(folder) / _WARM_MARK).touch()
