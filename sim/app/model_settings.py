"""The model settings the live page offers under "Advanced": a few sliders in plain words, each
over one field of the scenario's population, network or rules (:data:`SETTINGS`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Setting:
    """A model setting on the live page (under "Advanced"): a slider in plain words."""

    key: str
    table: str  # scenario-file table: "population", "network" or "rules"
    field: str
    label: str
    lo: float
    hi: float
    step: float
    integer: bool = False
    note: str = ""  # said under the slider: what the setting leaves out

    def between_steps(self, value) -> bool:
        """Whether ``value`` (the file's) lies between the slider's steps: the page then says
        so beside it (a user check read 0.01097 on a slider that moves by 0.001)."""
        return not self.integer and abs(self.drawn(value) - float(value)) > 1e-12

    def meta(self, scenario: Scenario) -> dict | None:
        part = getattr(scenario.model, self.table, None)
        if part is None or self.field not in {f.name for f in dataclasses.fields(part)}:
            return None
        return dict(next(f for f in dataclasses.fields(part) if f.name == self.field).metadata)

    def tooltip(self, scenario: Scenario) -> str:
        m = self.meta(scenario) or {}
        doc = str(m.get("doc", ""))
        doc = doc[:1].upper() + doc[1:]
        return f"{doc} (unit: {m.get('unit', '')}; source: {m.get('source', '')})."

    def get(self, scenario: Scenario):
        value = getattr(getattr(scenario.model, self.table), self.field)
        return int(value) if self.integer else float(value)

    def drawn(self, value: float) -> float:
        """``value`` as the slider draws it: on its grid (``lo`` plus whole steps) and within
        ``lo`` to ``hi``. The browser's slider moves a value it is given to this point, and
        sends that back as if the user had moved it: the baseline's 0.01097 new needs a day
        came back as 0.011 when the panel was opened (a user check). The arithmetic is the
        slider's own (Vuetify's ``roundValue``), to the step's decimals."""
        decimals = len(f"{self.step:g}".partition(".")[2])
        snapped = round((float(value) - self.lo) / self.step) * self.step + self.lo
        snapped = round(min(max(snapped, self.lo), self.hi), decimals)
        return int(snapped) if self.integer else snapped


MAX_RESIDENTS_LIVE = 20_000  # the live page's top: a day stays a few milliseconds

SETTINGS: tuple[Setting, ...] = (
    Setting("n_residents", "population", "n_residents", "Residents", 100,
            MAX_RESIDENTS_LIVE, 100, integer=True),
    Setting("ties_per_resident", "network", "ties_per_resident", "Ties per resident", 1, 15,
            0.5),
    Setting("share_bridging", "network", "share_bridging",
            "Share of ties that bridge groups", 0, 0.5, 0.01),
    Setting("share_bridge_figures", "population", "share_bridge_figures",
            "Share of residents who are bridge figures", 0, 0.1, 0.005),
    # needs arrive two ways: short needs (p_need) and the needs of caring episodes; a user
    # check set "New needs" to 0 and still saw needs, the episodes' (p_care_episode)
    Setting("p_need", "rules", "p_need", "New short-term needs per resident per day", 0,
            0.05, 0.001, note="Caring episodes (the next setting) bring needs on top of "
            "these: set both to 0 for a community with no needs."),
    Setting("p_care_episode", "rules", "p_care_episode",
            "Caring episodes begun per resident per day", 0, 0.002, 0.0001,
            note="A spell of illness, a new baby or a bereavement: the resident needs help "
            "every few days while it lasts."),
    Setting("p_visit_hub", "rules", "p_visit_hub",
            "Chance of visiting a hub on an open day", 0, 0.3, 0.01),
    Setting("help_cost", "rules", "help_cost", "Energy one act of help costs", 0, 0.6, 0.01),
)


def settings_for(scenario: Scenario) -> tuple[Setting, ...]:
    """The settings this model has (a setting whose field is gone is left out)."""
    return tuple(s for s in SETTINGS if s.meta(scenario) is not None)
