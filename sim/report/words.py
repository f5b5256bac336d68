"""Effects in plain words, for people who do not read charts of intervals every day.

    Community cafe raised "Trust other groups" by 4.1 percentage points (95% interval 2.3 to
    5.9) over months 18 to 24 compared with the baseline: better.

An effect counts as clear only when its 95% interval excludes zero; otherwise the sentence
says the change is unclear. Whether a rise is better or worse comes from
``Metric.higher_is_better``. The report's verdicts use the steady window (``which="steady"``),
the same numbers as its decision card, tables and forest plot; ``effect_verdict`` and
``interval_words`` default to the last day (``which="end"``) for the visualiser, which
labels its columns by day.
"""

from __future__ import annotations

import math

from sim.report.charts import verdict
from sim.report.units import display, fmt_number

VERDICT_WORDS = {"better": "better", "worse": "worse", "unclear": "no clear change",
                 "changed": "a clear change (neither better nor worse by itself)"}


def _isnan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def effect_verdict(row, metric: str, which: str = "end", metrics=None) -> str:
    """"better" / "worse" / "unclear" / "changed" for one summary row."""
    d = display(metric, metrics)
    lo, hi = row[f"effect_{which}_lo"], row[f"effect_{which}_hi"]
    if _isnan(lo) or _isnan(hi):
        return "unclear"
    return verdict(float(lo), float(hi), d.higher_is_better)


def interval_words(row, metric: str, which: str = "end", metrics=None) -> str:
    """"+4.1 (2.3 to 5.9)" in the metric's display unit."""
    d = display(metric, metrics)
    e, lo, hi = (row[f"effect_{which}{s}"] for s in ("", "_lo", "_hi"))
    return effect_interval(d, e, lo, hi)


def effect_interval(d, e, lo, hi) -> str:
    """"+4.1 (2.3 to 5.9)": an effect and its 95% interval, bounds unsigned when positive."""
    if _isnan(e):
        return "n/a"
    if _isnan(lo) or _isnan(hi):
        return f"{d.effect(e)} (interval needs 2 or more runs)"
    return f"{d.effect(e)} ({d.effect(lo, signed=False)} to {d.effect(hi, signed=False)})"


def effect_sentence(scenario: str, metric: str, row, *, baseline: str, which: str = "steady",
                    when: str = "in the steady window", metrics=None) -> str:
    """One sentence for one scenario's effect on one metric (see the module docstring)."""
    d = display(metric, metrics)
    e, lo, hi = (row[f"effect_{which}{s}"] for s in ("", "_lo", "_hi"))
    if _isnan(e):
        return f"{scenario}: no effect on \u201c{d.label}\u201d could be computed."
    v = effect_verdict(row, metric, which, metrics)
    size = d.effect(abs(float(e)), signed=False)
    if _isnan(lo) or _isnan(hi):
        interval = "no interval: at least two runs are needed"
    else:
        interval = f"95% interval {d.effect(lo, signed=False)} to {d.effect(hi, signed=False)}"
    if v == "unclear":
        return (f"{scenario} made no clear change to \u201c{d.label}\u201d {when} "
                f"({d.effect(e)} {d.effect_short}, {interval}, which includes no change).")
    up = float(e) > 0
    verb = "raised" if up else "lowered"
    if not (_isnan(lo) or _isnan(hi)):  # a clear change: give the interval as sizes too
        a, b = (float(lo), float(hi)) if up else (-float(hi), -float(lo))
        interval = f"95% interval {d.effect(a, signed=False)} to {d.effect(b, signed=False)}"
    tail = {"better": ": better", "worse": ": worse", "changed": ""}[v]
    return (f"{scenario} {verb} \u201c{d.label}\u201d by {size} {d.effect_unit} ({interval}) "
            f"{when} compared with {baseline}{tail}.")


def key_effects(summary, scenario: str, metrics_order, *, baseline: str,
                when: str = "in the steady window", metrics=None,
                limit: int = 4) -> tuple[list[str], list[str]]:
    """The clear effects of one scenario as sentences (clearest first, at most ``limit``)
    and the labels of the metrics it did not clearly change, from the steady window."""
    rows = summary[(summary["scenario"] == scenario) & summary["metric"].isin(metrics_order)]
    clear, unclear = [], []
    order = {m: i for i, m in enumerate(metrics_order)}
    for _, row in sorted(rows.iterrows(), key=lambda t: order[t[1]["metric"]]):
        m = row["metric"]
        v = effect_verdict(row, m, "steady", metrics)
        d = display(m, metrics)
        if v == "unclear":
            unclear.append(d.label)
            continue
        lo, hi = float(row["effect_steady_lo"]), float(row["effect_steady_hi"])
        # rank by how far the interval sits from zero, relative to its width
        strength = min(abs(lo), abs(hi)) / max(hi - lo, 1e-12)
        clear.append((strength, effect_sentence(scenario, m, row, baseline=baseline,
                                                when=when, metrics=metrics)))
    clear.sort(key=lambda t: -t[0])
    return [s for _, s in clear[:limit]], unclear


def months_words(first_day: int, last_day: int) -> str:
    """"days 549 to 730 (months 18 to 24)"."""
    m0, m1 = (first_day - 1) / (365.25 / 12), last_day / (365.25 / 12)
    return (f"days {first_day:,} to {last_day:,} (months {fmt_number(m0, decimals=0)} to "
            f"{fmt_number(m1, decimals=0)})")
