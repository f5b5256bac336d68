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
    found = [metric_of(s, b, metrics, own) for s, b in zip(table["scenario"], base, strict=True)]
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


def metric_of(scenario: str, name: str, metrics: dict, own: dict | None = None):
    """The Metric ``name`` (without a breakdown's "[...]") as ``scenario``'s rows mean it:
    its own interventions' (``own``: {scenario: {name: Metric}}), else ``metrics``, else the
    registry's; None if none has it."""
    return (own or {}).get(scenario, {}).get(name) or metrics.get(name) or REGISTRY.get(name)


def durability_table(rows, metrics, own: dict | None = None):
    """durability.csv's table: a row per ending programme, measure and point after its end,
    labelled as :func:`summary_table` labels its rows, with its unit (a user check: shares
    and counts per 1,000 residents side by side in one column, unsaid)."""
    import pandas as pd

    out, own = [], own or {}
    for r in rows:
        e = r["ending"]
        label = display(r["metric"], {**metrics, **own.get(e.scenario, {})}).label
        found = metric_of(e.scenario, r["metric"].split("[", 1)[0], metrics, own)
        for months, eff in r["points"]:
            out.append({"scenario": e.scenario, "programme": e.programme,
                        "end_day": e.end_day, "months_after_end": months,
                        "metric": r["metric"], "label": label,
                        "unit": found.unit if found is not None else "",
                        "effect": eff.effect if eff else np.nan,
                        "effect_lo": eff.lo if eff else np.nan,
                        "effect_hi": eff.hi if eff else np.nan,
                        "verdict": eff.verdict if eff else "after the run"})
    return pd.DataFrame(out)
