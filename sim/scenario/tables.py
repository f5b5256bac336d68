"""The tables of a scenario file and the parameter class each one fills.

One home for the mapping from what a file writes (``[population]``, ``[[hubs]]``,
``[orientations.rescuer]``) to the dataclass of sim.params that holds it: the loader builds
from it, and the scenario reference, the model card and the robustness worlds list the
parameters by it.
"""

from __future__ import annotations

from sim.params import (
    HubSpec,
    NetworkParams,
    OrientationProfile,
    PopulationParams,
    RuleParams,
    Section,
)
from sim.scenario.schema import RunSettings

# the tables that fill one parameter dataclass each
TABLES = {"run": RunSettings, "population": PopulationParams, "network": NetworkParams,
          "rules": RuleParams}
# every parameter class a file fills, by the name of its table: one [[population.sections]]
# table per section, one [[hubs]] table per hub, one [orientations.<name>] per orientation
PARAM_TABLES = {**TABLES, "sections": Section, "hubs": HubSpec,
                "orientations": OrientationProfile}
TOP_LEVEL_KEYS = ("name", "description", "extends", "run", "population", "network", "hubs",
                  "rules", "orientations", "interventions", "costs")
# keys a table must give (the dataclass default would be a trap: two sections both called
# "residents", a section with the default share 1)
REQUIRED = {Section: ("name", "share"), HubSpec: ("name",)}
