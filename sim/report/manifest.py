"""``manifest.json``: what was run, with what, where and how long it took.

Enough to reproduce a comparison: each scenario file with its sha256, the run settings, the
seed of every replicate, package versions (``importlib.metadata``), the Python version, the
git commit (when the code sits in a git checkout), start and end times and named timings.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

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


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
                   missing: list | None = None, extra: dict | None = None) -> dict:
    """The manifest as a plain dictionary (see the module docstring)."""
    manifest = {
        "kind": kind,
        "command": command,
        "started": started,
        "finished": finished,
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
        "git_commit": git_commit(),
    }
    if extra:
        manifest.update(extra)
    return manifest


def write_manifest(path: str | Path, manifest: dict) -> Path:
    return write_text_atomic(path, json.dumps(manifest, indent=2, default=str) + "\n")
