"""The scenario files both pages offer, loaded for them, and the seed as a user types it.

The folder is ``KINDLINESS_SCENARIOS_DIR`` or ``scenarios/`` in the project; each file is
offered under its scenario name and file name (read within the loader's limits), baseline
first, and the built-in defaults stand in when there are none. A file that does not load
comes back as rows for a plain problem panel (file, key, problem; no server paths).
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.app.problems import PageProblem, page_problems, scenario_label
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = "Built-in defaults (no file)"


def scenarios_dir() -> Path:
    """The folder of scenario files the pickers offer (``KINDLINESS_SCENARIOS_DIR`` or
    ``scenarios/`` in the project)."""
    return Path(os.environ.get("KINDLINESS_SCENARIOS_DIR") or ROOT / "scenarios")


def list_scenarios(folder: Path | None = None) -> dict[str, Path | None]:
    """``{label: path}`` of the scenario files in ``folder`` (baseline first), or the built-in
    defaults when there are none. A label is the file's scenario name, if it can be read
    within the loader's limits (no FIFO, no /dev/zero), and the file name."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    files.sort(key=lambda p: (p.stem != "baseline", p.stem))
    found: dict[str, Path | None] = {scenario_label(p): p for p in files}
    return found or {BUILT_IN: None}


def load_scenario_file(path: Path | None) -> Scenario:
    """The validated scenario in ``path`` (``ScenarioError`` lists every problem), or the
    built-in defaults for ``None``."""
    if path is None:
        return Scenario(name="Built-in defaults")
    from sim.scenario.loader import load_scenario

    return load_scenario(path)


def load_or_problems(path: Path | None) -> tuple[Scenario | None, list[PageProblem]]:
    """The scenario in ``path``, or why it cannot be used, as rows for a plain problem panel
    (file, key, problem; no server paths on the page)."""
    try:
        return load_scenario_file(path), []
    except Exception as exc:  # ScenarioError lists every problem; anything else in one line
        return None, page_problems(exc, scenarios_dir())


def coerce_seed(text) -> int:
    """A seed from what the user typed: '42', ' 42 ', '42.0' -> 42; anything else is a
    ``ValueError`` that says what is allowed."""
    s = str(text).strip().replace(",", "").replace("_", "")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"seed {text!r} is not a whole number; type e.g. 42") from None
    if value != int(value) or value < 0 or value >= 2**63:
        raise ValueError(f"seed {text!r} must be a whole number from 0 to 2^63-1")
    return int(value)
