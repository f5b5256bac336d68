"""The interventions of a job's scenarios as the report sees them: the metrics they add,
their windows, the steady window every verdict averages over, and programmes that start too
late in the run for a settled verdict."""

from __future__ import annotations

import dataclasses


def metrics_of(iv) -> list:
    """The metrics an intervention adds ([] when asking for them fails)."""
    try:
        return list(iv.metrics())
    except Exception:  # noqa: BLE001 - a label lookup must not sink the report
        return []


def intervention_metrics(scenarios) -> dict:
    """The Metric objects interventions add (for labels and units), by name; without their
    functions, so that they can travel to the processes that draw charts."""
    return {m.name: dataclasses.replace(m, fn=None)
            for s in scenarios for iv in s.interventions for m in metrics_of(iv)}


def intervention_windows(scenario, days: int) -> list[tuple[str, int, int]]:
    return [(getattr(iv, "label", type(iv).__name__), *iv.window(days))
            for iv in scenario.interventions]


def steady_window(days: int) -> tuple[int, int]:
    """The window every verdict averages over: the last quarter of the run."""
    q = max(1, days // 4)
    return days - q + 1, days


def late_starts(scenarios, steady: tuple[int, int], ramp_days: int = 91) -> list[str]:
    """Programmes that start less than three months before the steady window (or inside
    it): their verdicts come from a programme that is still settling in."""
    out = []
    for s in scenarios:
        for iv in s.interventions:
            start = int(getattr(iv, "start_day", 0))
            if start > steady[0] - ramp_days:
                out.append(f"{getattr(iv, 'label', type(iv).__name__)} ({s.name}) starts on "
                           f"day {start:,}")
    return out
