"""The tables a job writes besides the daily values: summary.csv (the ensemble's summary with
a plain label and unit per metric) and durability.csv (effects after a programme ends)."""

from __future__ import annotations

import numpy as np

from sim.metrics import REGISTRY
from sim.report.units import display

EFFECT_COLUMN_PREFIX = "effect_"


def summary_table(summary, *, kind: str, metrics: dict, own: dict | None = None):
    """summary.csv's table: the ensemble's summary with a plain label and unit per metric
    (a row's from its own scenario's interventions, ``own``: {scenario: {name: Metric}},
    over ``metrics``, theirs merged: two scenarios' programmes may share a name, not a
    label); effect columns only when comparing."""
    table = summary.copy()
    base = [m.split("[", 1)[0] for m in table["metric"]]
    own = own or {}
    found = [own.get(s, {}).get(b) or metrics.get(b) or REGISTRY.get(b)
             for s, b in zip(table["scenario"], base, strict=True)]
    table.insert(table.columns.get_loc("metric") + 1, "label",
                 [display(b, {b: f} if f is not None else None).label
                  + (m[len(b):] if m != b else "")
                  for m, b, f in zip(table["metric"], base, found, strict=True)])
    table.insert(table.columns.get_loc("label") + 1, "unit",
                 [f.unit if f is not None else "" for f in found])
    if kind != "compare":
        drop = {"n_pairs", "p_best", "average_rank", "runs_as_baseline"}
        table = table[[c for c in table.columns
                       if not c.startswith(EFFECT_COLUMN_PREFIX) and c not in drop]]
    return table


def durability_table(rows, metrics, own: dict | None = None):
    """durability.csv's table: a row per ending programme, measure and point after its end,
    labelled as :func:`summary_table` labels its rows."""
    import pandas as pd

    out, own = [], own or {}
    for r in rows:
        e = r["ending"]
        label = display(r["metric"], {**metrics, **own.get(e.scenario, {})}).label
        for months, eff in r["points"]:
            out.append({"scenario": e.scenario, "programme": e.programme,
                        "end_day": e.end_day, "months_after_end": months,
                        "metric": r["metric"], "label": label,
                        "effect": eff.effect if eff else np.nan,
                        "effect_lo": eff.lo if eff else np.nan,
                        "effect_hi": eff.hi if eff else np.nan,
                        "verdict": eff.verdict if eff else "after the run"})
    return pd.DataFrame(out)
