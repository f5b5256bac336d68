"""Scenarios for the visualiser's tests: a folder with the shipped baseline and organisers'
scenario and a smaller community with a short hub programme (:func:`scenario_folder`), and a
small community with organisers built in code (:func:`organisers_setup`), so that the tests do
not depend on which files the project ships and stay quick."""

from __future__ import annotations

import shutil
from pathlib import Path

from sim.interventions import OneToOnes
from sim.scenario.schema import Scenario

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
# a file a user might bring to the compare page: it extends one offered there
WARD = """name = "My ward"
description = "An uploaded file that extends a shipped one."
extends = "small.toml"

[[interventions]]
type = "one_to_ones"
start_day = 3
organisers = 20
"""


def scenario_folder(folder: Path) -> Path:
    """Fill ``folder`` (made if needed) with baseline.toml, one_to_ones.toml and small.toml."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("baseline.toml", "one_to_ones.toml"):
        shutil.copy(ROOT / "scenarios" / name, folder / name)
    (folder / "small.toml").write_text(SMALL)
    return folder


def organisers_setup(residents=400, days=60, start=10, organisers=30) -> Scenario:
    """A community of ``residents`` with ``organisers`` doing one-to-ones from day ``start``."""
    base = Scenario(name="Small").with_overrides(residents=residents, days=days)
    return Scenario(name="Small + organisers", run=base.run, model=base.model,
                    interventions=(OneToOnes(start_day=start, organisers=organisers,
                                             conversations_per_week=10.0),))


def area_folder(folder: Path, residents: int = 1500) -> list[Path]:
    """An area as ``run.py new-area "Riverside ward" --residents 1500 --sections
    "long_standing=0.6,newcomers=0.4"`` writes it, under ``folder/areas``: its baseline and
    a cafe option that extends it."""
    from sim.area import write_area

    return write_area("Riverside ward", Path(folder) / "areas", residents=residents,
                      sections=[("long_standing", 0.6), ("newcomers", 0.4)])
