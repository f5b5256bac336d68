"""The tables a job writes besides the daily values: summary.csv (the ensemble's summary with
a plain label and unit per metric) and durability.csv (effects after a programme ends)."""

from __future__ import annotations

import numpy as np

from sim.metrics import REGISTRY
from sim.report.units import display

EFFECT_COLUMN_PREFIX = "effect_"


def summary_table(summary, *, kind: str, metrics: dict):
    """summary.csv's table: the ensemble's summary with a plain label and unit per metric;
    effect columns only when comparing."""
    table = summary.copy()
    base = [m.split("[", 1)[0] for m in table["metric"]]
    table.insert(table.columns.get_loc("metric") + 1, "label",
                 [display(b, metrics).label + (m[len(b):] if m != b else "")
                  for m, b in zip(table["metric"], base, strict=True)])
    table.insert(table.columns.get_loc("label") + 1, "unit",
                 [(metrics.get(b) or REGISTRY.get(b)).unit if (metrics.get(b) or
                                                              REGISTRY.get(b)) else ""
                  for b in base])
    if kind != "compare":
        drop = {"n_pairs", "p_best", "average_rank"}
        table = table[[c for c in table.columns
                       if not c.startswith(EFFECT_COLUMN_PREFIX) and c not in drop]]
    return table


def durability_table(rows, metrics):
    import pandas as pd

    out = []
    for r in rows:
        e = r["ending"]
        for months, eff in r["points"]:
            out.append({"scenario": e.scenario, "programme": e.programme,
                        "end_day": e.end_day, "months_after_end": months,
                        "metric": r["metric"], "label": display(r["metric"], metrics).label,
                        "effect": eff.effect if eff else np.nan,
                        "effect_lo": eff.lo if eff else np.nan,
                        "effect_hi": eff.hi if eff else np.nan,
                        "verdict": eff.verdict if eff else "after the run"})
    return pd.DataFrame(out)
