"""Output folders that never overwrite, and files written atomically.

Every comparison or run writes into a folder of its own, named after the time it started and
what it is (``results/2026-11-25T0102-compare/``); if that name is taken, a numeric suffix is
added (``...-compare-2``). Every file is written to a temporary name in the same folder and then
renamed into place, so a reader (or a crash) never sees half a file, and what finished before a
failure is kept.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sim.atomic import FILE_MODE, atomic_file, write_bytes_atomic  # noqa: F401  (re-exported)


def new_output_dir(root: str | Path, kind: str, *, now: datetime | None = None) -> Path:
    """Create and return a fresh folder ``root/<YYYY-MM-DDTHHMM>-<kind>[-N]``.

    The folder is created with ``mkdir(exist_ok=False)``, so two runs started in the same minute
    (even in two processes) get two folders."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y-%m-%dT%H%M")
    base = f"{stamp}-{kind}"
    for n in range(1, 10_000):
        path = root / (base if n == 1 else f"{base}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{root}: no free folder name for {base}")


def _atomic(path: Path, write) -> Path:
    with atomic_file(path) as fh:
        write(fh)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` through a temporary file and a rename."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_csv_atomic(path: str | Path, frame) -> Path:
    """Write a pandas DataFrame as CSV (no index) through a temporary file and a rename."""
    return write_text_atomic(path, frame.to_csv(index=False, lineterminator="\n"))


def write_figure_atomic(path: str | Path, fig, *, dpi: int = 110) -> Path:
    """Save a matplotlib figure as PNG through a temporary file and a rename."""
    return _atomic(Path(path), lambda fh: fig.savefig(fh, format="png", dpi=dpi))
