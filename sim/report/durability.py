"""What happens after a programme ends: its paired effects at its end and 6 and 12 months
later, each the mean of the four weeks up to that day (durability.csv and the report's
section "After a programme ends")."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.report.decision import Effect
from sim.report.units import display
from sim.report.verdict import verdict
from sim.scenario.intervention_checks import days_from_months

DURABILITY_MONTHS = (0, 6, 12)  # at a programme's end, then 6 and 12 months later
DURABILITY_WINDOW_DAYS = 28  # each point is the mean of the four weeks up to that day


@dataclass(frozen=True)
class Ending:
    """A programme that stops before the run ends, and the windows that follow it."""

    scenario: str
    slug: str
    programme: str
    end_day: int
    windows: tuple  # ((months after the end, (first day, last day) or None), ...)
    # the option's other programmes still running after this one ends: its effects after the
    # end include theirs
    running_on: tuple[str, ...] = ()


def durability_windows(scenarios, days: int) -> list[Ending]:
    """Every programme that ends before day ``days``, with the four weeks up to its end and
    up to 6 and 12 months later (None where that falls after the run)."""
    out = []
    for s in scenarios:
        for iv in s.interventions:
            end = getattr(iv, "end_day", None)
            if end is None or end >= days:
                continue
            wins = []
            for months in DURABILITY_MONTHS:
                last = end + days_from_months(months)
                first = max(last - DURABILITY_WINDOW_DAYS + 1, 1)
                wins.append((months, (first, last) if last <= days else None))
            others = tuple(getattr(o, "label", type(o).__name__) for o in s.interventions
                           if o is not iv and (getattr(o, "end_day", None) is None
                                               or o.end_day > end))
            out.append(Ending(s.name, s.slug, getattr(iv, "label", type(iv).__name__), end,
                              tuple(wins), others))
    return out


def durability(windows_table: pd.DataFrame, endings: list[Ending], measures: list[str],
               metrics=None) -> list[dict]:
    """For each ending programme and measure: the paired effect (with interval and verdict)
    at its end and 6 and 12 months later, from ``Summary.windows``."""
    rows = []
    if windows_table is None or windows_table.empty:
        return rows
    w = windows_table.set_index(["slug", "metric", "first_day", "last_day"])
    recorded = set(zip(windows_table["slug"], windows_table["metric"], strict=True))
    for end in endings:
        for m in measures:
            if (end.slug, m) not in recorded:
                continue  # another scenario's own measure (its organisers), not this one's
            d = display(m, metrics)
            points = []
            for months, win in end.windows:
                key = (end.slug, m, *win) if win else None
                if win is None or key not in w.index:
                    points.append((months, None))
                    continue
                r = w.loc[key]
                v = verdict(float(r["effect_lo"]), float(r["effect_hi"]), d.higher_is_better)
                points.append((months, Effect(end.scenario, m, float(r["effect"]),
                                              float(r["effect_lo"]), float(r["effect_hi"]), v,
                                              float(r["mean"]), float(r["base_mean"]))))
            if all(e is None or e.effect != e.effect for _, e in points):
                continue  # no paired effect: its organisers, whom the baseline has not
            rows.append({"ending": end, "metric": m, "points": points})
    return rows
