"""A scenarios folder for the visualiser's tests: the shipped baseline and organisers'
scenario, and a smaller community with a short hub programme, so that the tests do not depend
on which files the project ships and stay quick."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = """name = "Small estate"
description = "A smaller community with palatable hub activity (visualiser tests)."
extends = "baseline.toml"

[run]
days = 120

[population]
n_residents = 300

[[interventions]]
type = "palatable_activity"
start_day = 2
end_day = 60
"""


def scenario_folder(folder: Path) -> Path:
    """Fill ``folder`` (made if needed) with baseline.toml, one_to_ones.toml and small.toml."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("baseline.toml", "one_to_ones.toml"):
        shutil.copy(ROOT / "scenarios" / name, folder / name)
    (folder / "small.toml").write_text(SMALL)
    return folder
