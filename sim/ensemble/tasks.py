"""One run of one scenario: the task a worker executes.

``execute_run`` is a top-level function of picklable arguments, so the same task runs in
this process, in a local process pool or on a Dask worker. It never touches the file
system: it returns the run's daily table as gzipped CSV bytes with its checksum and
timings, and the caller (the runner, in the main process) writes the files. A cluster's
workers therefore need no shared disk with the machine that asked.

A run that raises is returned as data (its traceback as text), never raised, so one bad
run cannot hide the others.
"""

from __future__ import annotations

import datetime as _dt
import os
import socket
import subprocess
import time
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sim.ensemble.executors import ctrl_c_deferred
from sim.ensemble.store import RunRecord, encode_table, run_stem, sha256

PACKAGE = "kindliness-sim"


def package_version() -> str:
    """The installed version of kindliness-sim ("unknown" when run from a source tree)."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


def git_commit(cwd: str | Path | None = None) -> str | None:
    """The checked-out commit (with ``+dirty`` if files differ from it), or None."""
    here = Path(cwd) if cwd else Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, timeout=10,
                               check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+dirty" if dirty else "") if commit else None


@dataclass(frozen=True)
class RunTask:
    """Replicate ``replicate`` of ``scenario``, seeded with ``seed``."""

    scenario: object  # sim.scenario.schema.Scenario (frozen, picklable)
    replicate: int
    seed: int

    @property
    def slug(self) -> str:
        return self.scenario.slug


@dataclass(frozen=True)
class RunOutcome:
    """What a worker hands back: a record and the table's bytes, or a traceback."""

    scenario: str
    slug: str
    replicate: int
    seed: int
    record: RunRecord | None = None
    data: bytes | None = None
    error: str | None = None  # one line: exception type and message
    traceback: str | None = None

    @property
    def ok(self) -> bool:
        return self.record is not None


def _from_ctrl_c(exc: BaseException) -> bool:
    """Whether ``exc`` came of a KeyboardInterrupt: a Ctrl-C that lands inside numba's own
    Python code (unpickling a constant) while a kernel runs in this process comes back as
    "SystemError: CPUDispatcher(...) returned a result with an exception set" (a user check:
    with --workers 1 it was filed as a failed run, and the job went on to its report)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def execute_run(task: RunTask) -> RunOutcome:
    """Build the scenario's model for this replicate's seed, run its days, return the table."""
    sc = task.scenario
    t0 = time.perf_counter()
    # in this process (workers 1), a Ctrl-C is raised between days, not inside a kernel
    with ctrl_c_deferred() as stop_if_asked:
        try:
            model = sc.build_model(task.seed)
            t1 = time.perf_counter()
            for _ in range(sc.run.days):
                model.step()  # as model.run_days
                stop_if_asked()
            t2 = time.perf_counter()
            frame = model.metrics.frame()
            del model
            data = encode_table(frame)
            t3 = time.perf_counter()
        except Exception as exc:  # reported as data: the other runs go on
            if _from_ctrl_c(exc):  # a Ctrl-C a compiled kernel turned into its own error
                raise KeyboardInterrupt from exc
            return RunOutcome(sc.name, sc.slug, task.replicate, task.seed,
                              error=f"{type(exc).__name__}: {exc}",
                              traceback=traceback.format_exc())
    record = RunRecord(
        scenario=sc.name, slug=sc.slug, replicate=task.replicate, seed=task.seed,
        days=sc.run.days, n_rows=len(frame), n_columns=frame.shape[1],
        data_file=f"{run_stem(task.replicate)}.csv.gz", data_bytes=len(data),
        data_sha256=sha256(data), build_s=round(t1 - t0, 6), run_s=round(t2 - t1, 6),
        encode_s=round(t3 - t2, 6), wall_s=round(t3 - t0, 6),
        package_version=package_version(), worker=f"{socket.gethostname()}:{os.getpid()}",
        finished_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    )
    return RunOutcome(sc.name, sc.slug, task.replicate, task.seed, record=record, data=data)
