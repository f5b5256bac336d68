"""One community on the live page, run beside its baseline (plain Python, no Solara).

:class:`LiveSession` holds the chosen setup's model and its *ghost*: the same community
(same model settings, same seed) without its interventions, stepped day for day beside it, so
that every chart can draw both and the page can say how far apart they are. Both models draw
their community from the run's named random streams, so they start identical; only the
interventions' own streams and what the interventions change set them apart.

``step(days)`` advances both; ``render(shade, selected)`` returns a :class:`Frame` (PNG bytes
of the network and the charts, the day, and the running differences). The speed benchmark
(bench/redraw.py) and the tests time and check exactly what the page runs.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from dataclasses import dataclass

import numpy as np

from sim.app.live_charts import LiveCharts, to_shown
from sim.app.network_view import NetworkView
from sim.app.roles import roles_of
from sim.metrics import REGISTRY
from sim.scenario.schema import Scenario

RECENT_DAYS = 28  # the "last four weeks" average of a difference
NOTABLE = 1.0  # a difference the page colours: 1 percentage point or 1 per 1,000 residents


@dataclass(frozen=True)
class Difference:
    """How far one measure of the chosen setup is from the baseline, today and on average
    over the last :data:`RECENT_DAYS` days, in its chart's unit
    (:func:`sim.app.live_charts.to_shown`)."""

    metric: str
    label: str
    unit: str  # "%" or "per 1,000" (residents)
    value: float  # this setup, today
    baseline: float  # the ghost, today
    diff: float  # value - baseline
    recent_diff: float  # mean over the last RECENT_DAYS days (NaN before day 1)
    higher_is_better: bool | None

    @property
    def verdict(self) -> str:
        """"better", "worse" or "same" for the recent difference (today's before there is
        one): :meth:`verdict_of` it."""
        return self.verdict_of(self.recent_diff if math.isfinite(self.recent_diff)
                               else self.diff)

    def verdict_of(self, d: float) -> str:
        """"better", "worse", "changed" (no better direction) or "same" for a difference
        ``d`` of this measure. One run has no interval, so only a difference of at least
        :data:`NOTABLE` (1 point or 1 per 1,000 residents) counts."""
        if not math.isfinite(d) or abs(d) < NOTABLE:
            return "same"
        if self.higher_is_better is None:
            return "changed"
        return "better" if (d > 0) == self.higher_is_better else "worse"


@dataclass(frozen=True)
class Frame:
    """Everything the page shows of one moment of a session."""

    day: int
    network_png: bytes
    charts_png: bytes
    differences: tuple[Difference, ...] = ()
    label: str = ""  # the setup ("Baseline + 2 changes")
    seed: int = 0
    n_residents: int = 0
    run_days: int = 0
    interventions: tuple[str, ...] = ()  # "Organisers' 1:1 conversations: days 90-730"
    selected: int | None = None
    resident: tuple[tuple[str, str], ...] = ()  # the picked resident's state, in words
    has_ghost: bool = False


def without_interventions(scenario: Scenario) -> Scenario:
    """The baseline of a setup: the same community and run settings, no interventions."""
    return dataclasses.replace(scenario, name=f"{scenario.name}: baseline", interventions=(),
                               path=None)


class LiveSession:
    """One community and its ghost baseline. Thread-safe: the play loop and the page's
    buttons share it through ``lock``.

    Args:
        scenario: the validated setup to run.
        seed: the run's seed (the ghost uses the same).
        label: how the page names the setup ("Baseline + 2 changes").
        ghost: run the baseline beside it (default: when the setup has interventions).
    """

    def __init__(self, scenario: Scenario, seed: int, *, label: str = "",
                 ghost: bool | None = None, narrow: bool = False):
        self.scenario = scenario
        self.seed = int(seed)
        self.label = label or scenario.name
        self.model = scenario.build_model(self.seed)
        with_ghost = bool(scenario.interventions) if ghost is None else ghost
        self.ghost = (without_interventions(scenario).build_model(self.seed)
                      if with_ghost else None)
        self.network = NetworkView(self.model, layout_seed=self.seed)
        self.charts = self._charts(narrow)
        self.lock = threading.RLock()

    def _charts(self, narrow: bool) -> LiveCharts:
        return LiveCharts(self.model.metrics.columns, self.model.interventions,
                          run_days=self.run_days,
                          columns=1 if narrow else 2)

    def set_narrow(self, narrow: bool) -> None:
        """Charts in one column (a phone) or two."""
        with self.lock:
            if (self.charts.columns == 1) != bool(narrow):
                self.charts = self._charts(narrow)

    @property
    def day(self) -> int:
        return self.model.day

    @property
    def run_days(self) -> int:
        return int(self.scenario.run.days)

    @property
    def n_residents(self) -> int:
        return self.model.pop.n

    def step(self, days: int = 1) -> None:
        with self.lock:
            for _ in range(days):
                self.model.step()
                if self.ghost is not None:
                    self.ghost.step()

    def render(self, shade: str = "trust_out", selected: int | None = None) -> Frame:
        with self.lock:
            net = self.network.png(self.model, shade, selected)
            ghost = self.ghost.metrics if self.ghost is not None else None
            charts = self.charts.png(self.model.metrics, ghost)
            diffs = tuple(self.differences())
            ok = selected is not None and 0 <= selected < self.n_residents
            return Frame(self.model.day, net, charts, diffs, label=self.label, seed=self.seed,
                         n_residents=self.n_residents, run_days=self.run_days,
                         interventions=tuple(self.intervention_lines()),
                         selected=selected if ok else None,
                         resident=tuple(self.resident_rows(selected)) if ok else (),
                         has_ghost=self.ghost is not None)

    def differences(self) -> list[Difference]:
        """Today's and the recent difference from the ghost for each charted measure (empty
        without a ghost)."""
        if self.ghost is None:
            return []
        out = []
        main, ghost = self.model.metrics, self.ghost.metrics
        rows = min(main.n_rows, ghost.n_rows)
        for panel in self.charts.panels:
            for name in panel.metrics:
                a = to_shown(main.column(name)[:rows], panel, name)
                b = to_shown(ghost.column(name)[:rows], panel, name)
                recent = slice(max(1, rows - RECENT_DAYS), rows)
                d = a[recent] - b[recent]
                d = d[np.isfinite(d)]  # days with nothing to measure (no needs yet) left out
                m = REGISTRY.get(name)
                out.append(Difference(
                    name, m.label if m else name, panel.unit, float(a[-1]),
                    float(b[-1]),
                    float(a[-1] - b[-1]), float(d.mean()) if d.size else math.nan,
                    m.higher_is_better if m else None))
        return out

    def resident_at(self, fx: float, fy: float) -> int | None:
        with self.lock:
            return self.network.resident_at(fx, fy)

    def resident_rows(self, i: int) -> list[tuple[str, str]]:
        """(plain label, shown value) rows for resident ``i``: ``Resident.state()`` of the
        model's Mesa face (built on first use), roles read through sim.app.roles."""
        with self.lock:
            state = self.model.build_face().residents[i].state()
            roles = roles_of(self.model, i)
        rows = []
        for key, value in state.items():
            if key == "roles" or key.startswith("is_"):
                continue  # roles: from sim.app.roles, below
            if isinstance(value, bool):
                shown = "yes" if value else "no"
            elif isinstance(value, float):
                shown = f"{value:.2f}"
            else:
                shown = str(value).replace("_", " ")
            rows.append((RESIDENT_LABELS.get(key, key.replace("_", " ")), shown))
        rows.insert(3, ("Roles", ", ".join(roles) if roles else "none"))
        return rows

    def intervention_lines(self) -> list[str]:
        days = self.run_days
        return [f"{iv.label}: days {s}-{e}" for iv in self.model.interventions
                for s, e in [iv.window(days)]]


RESIDENT_LABELS = {
    "id": "Resident number", "orientation": "Orientation", "section": "Section",
    "withdrawn": "Stepped back (burnt out)", "ties": "Ties (people they know)",
    "need": "Outstanding need (0-1)", "energy": "Energy to help (0-1)",
    "strain": "Strain from helping (0-1; past 0.5 it is too much)",
    "self_reliance": "Reluctance to ask for help (0-1)", "indebtedness": "Feels in debt (0-1)",
    "resentment": "Resentment (0-1)", "attachment": "Attachment to the place (0-1)",
    "loneliness": "Loneliness (0-1)", "trust_in": "Trust in own group (0-1)",
    "trust_out": "Trust in other groups (0-1)", "trust_gen": "Trust in people generally (0-1)",
    "reputation": "Reputation (0-1)",
}
