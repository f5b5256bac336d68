"""Every number in the model, with its unit, its range and its source.

The public home of the parameters: import them from here (``from sim.params import
RuleParams``). One module per group:

- ``declare``: :func:`param` (how a field records its meaning, unit, allowed range, plausible
  range and source, or the word "assumption"), :func:`meta` and :func:`walk_params`
- ``orientations``: the orientations, their profiles and the meeting settings
- ``population``: sections and the lasting differences between residents
- ``network``: the starting ties
- ``hubs``: third spaces and the boundary between sections
- ``rules``: the daily rules
- ``model``: :class:`ModelParams`, the whole tree
- ``weekdays``: one spelling of weekdays for files, parameters and rules

The scenario validator reads the ranges, the model card is generated from the same metadata,
and the model reads the values: one home per number.

Time is in days. Probabilities named ``p_*`` are per day unless the name says otherwise.
Resident states (need, energy, trust, ...) are on a 0-1 scale.
"""

from sim.params.declare import ASSUMPTION, meta, param, walk_params
from sim.params.hubs import BOUNDARY_NAME, HubSpec, default_hubs
from sim.params.model import ModelParams
from sim.params.network import NetworkParams
from sim.params.orientations import (
    MEETING_SETTINGS,
    ORIENTATIONS,
    OrientationProfile,
    default_profiles,
)
from sim.params.population import (
    MAX_SECTIONS,
    SETTLED_DAY,
    PopulationParams,
    Section,
    default_sections,
)
from sim.params.rules import RuleParams
from sim.params.weekdays import (
    DAYS_PER_MONTH,
    WEEKDAY_NAMES,
    WEEKDAYS,
    weekday_number,
    weekday_numbers,
)

__all__ = [
    "ASSUMPTION",
    "BOUNDARY_NAME",
    "DAYS_PER_MONTH",
    "MEETING_SETTINGS",
    "ORIENTATIONS",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "HubSpec",
    "ModelParams",
    "NetworkParams",
    "OrientationProfile",
    "MAX_SECTIONS",
    "SETTLED_DAY",
    "PopulationParams",
    "RuleParams",
    "Section",
    "default_hubs",
    "default_profiles",
    "default_sections",
    "meta",
    "param",
    "walk_params",
    "weekday_number",
    "weekday_numbers",
]
