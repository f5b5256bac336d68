"""``manifest.json``: what was run, with what, where and how long it took.

Enough to reproduce a comparison: each scenario file with its sha256, the run settings, the
seed of every replicate, package versions (``importlib.metadata``), the Python version, the
git commit (when the code sits in a git checkout), start and end times and named timings.

A job resumed (``--resume``) writes its outputs again, and its manifest with them: ``started``
stays the job's first start, ``finished`` is when these outputs were made (``timings_s``
and ``command`` are of the session that made them), and ``sessions`` lists each time the job
ran in its folder, oldest first (:func:`earlier_sessions`), with the runs it ran and kept and
the code that ran them. A user check found a finished folder resumed
(which runs nothing and makes the outputs again) had its start replaced by the resume's.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from sim.ensemble.tasks import git_commit
from sim.report.outputs import write_text_atomic

PACKAGES = ("kindliness-sim", "mesa", "numpy", "pandas", "matplotlib", "tqdm", "networkx",
            "dask", "distributed", "pyarrow", "solara")


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def package_versions(names=PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape results (absent ones are left out)."""
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


MANIFEST_FILE = "manifest.json"


def read_manifest(out_dir: str | Path) -> dict:
    """The manifest a job wrote in ``out_dir``; {} where there is none, or where it cannot be
    read as one (a resume must not fail on it: it is rewritten)."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def session(started: str, finished: str | None, runs_run: int, runs_kept: int,
            commit: str | None) -> dict:
    """One time a job ran in its folder: when, how many runs it ran and kept from before,
    and the code that ran them (its git commit)."""
    return {"started": started, "finished": finished, "runs_run": runs_run,
            "runs_kept": runs_kept, "git_commit": commit}


def earlier_sessions(out_dir: str | Path) -> list[dict]:
    """The sessions of the job in ``out_dir`` before the one resuming it, oldest first: those
    its last manifest lists (one made from a manifest written before they were listed);
    where no session wrote a manifest (a job interrupted before its outputs), one that
    started when its plan was written, marked ``interrupted``, with no end (it made no
    outputs), its runs counted from the run files it left and the time its last run
    finished (a user check found them all null), its code the one that wrote the plan
    (None in a folder planned before plans kept it). [] where there is no job."""
    earlier = read_manifest(out_dir)
    listed = earlier.get("sessions")
    if isinstance(listed, list) and listed and all(isinstance(x, dict) for x in listed):
        return listed
    if isinstance(earlier.get("started"), str):
        runs = earlier.get("runs") if isinstance(earlier.get("runs"), dict) else {}
        done, kept = runs.get("completed"), runs.get("skipped_on_resume", 0)
        ran = done - kept if isinstance(done, int) and isinstance(kept, int) else None
        return [session(earlier["started"], earlier.get("finished"), ran, kept,
                        earlier.get("git_commit"))]
    from sim.ensemble.store import PLAN_FILE  # written once, as the job started
    from sim.ensemble.store import read_plan as store_plan

    try:
        planned = (Path(out_dir) / PLAN_FILE).stat().st_mtime
    except OSError:
        return []
    ends = _runs_finished(out_dir)
    try:  # the code that planned it (a user check: "not known")
        commit = store_plan(out_dir).get("git_commit")
    except (OSError, ValueError, AttributeError):
        commit = None
    interrupted = session(datetime.fromtimestamp(planned, UTC).isoformat(timespec="seconds"),
                          None, len(ends), 0, commit if isinstance(commit, str) else None)
    return [{**interrupted, "interrupted": True, "last_run_finished": max(ends, default=None)}]


def _runs_finished(out_dir: str | Path) -> list[str]:
    """When each run in ``out_dir``'s run files finished (UTC, ISO 8601), from their sidecars."""
    from sim.ensemble.store import RUNS_DIR

    ends = []
    for path in Path(out_dir, RUNS_DIR).glob("*/rep-*.json"):
        if path.name.endswith(".error.json"):
            continue
        try:
            end = json.loads(path.read_text()).get("finished_at")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(end, str):
            ends.append(end)
    return ends


def scenario_entry(scenario) -> dict:
    """One scenario's record: name, file, sha256 of the file, run settings."""
    entry = {"name": scenario.name, "slug": scenario.slug, "description": scenario.description,
             "file": scenario.path, "sha256": None,
             "days": scenario.run.days, "replicates": scenario.run.replicates,
             "root_seed": scenario.run.seed,
             "residents": scenario.model.population.n_residents,
             "interventions": [getattr(iv, "name", type(iv).__name__)
                               for iv in scenario.interventions]}
    if scenario.path and Path(scenario.path).is_file():
        entry["sha256"] = sha256_file(scenario.path)
    return entry


def build_manifest(*, command: list[str], kind: str, scenarios, baseline: str | None,
                   seeds: list[int] | dict | None, started: str, finished: str | None,
                   timings: dict[str, float], settings: dict, outputs: list[str],
                   missing: list | None = None, extra: dict | None = None,
                   earlier: list[dict] | None = None, runs_run: int | None = None,
                   runs_kept: int = 0) -> dict:
    """The manifest as a plain dictionary (see the module docstring): ``started`` is when this
    session started, ``earlier`` the job's sessions before it (:func:`earlier_sessions`, for a
    resume), ``runs_run`` and ``runs_kept`` what this one ran and kept."""
    commit = git_commit()
    sessions = [*(earlier or []), session(started, finished, runs_run, runs_kept, commit)]
    manifest = {
        "kind": kind,
        "command": command,
        "started": sessions[0]["started"],  # the job's first start, kept by every resume
        "finished": finished,
        "sessions": sessions,
        "timings_s": {k: round(float(v), 3) for k, v in timings.items()},
        "settings": settings,
        "baseline": baseline,
        "scenarios": [scenario_entry(s) for s in scenarios],
        "seeds": seeds,
        "missing_runs": missing or [],
        "outputs": outputs,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
        "git_commit": commit,
    }
    if extra:
        manifest.update(extra)
    return manifest


def write_manifest(path: str | Path, manifest: dict) -> Path:
    return write_text_atomic(path, json.dumps(manifest, indent=2, default=str) + "\n")
