"""Survey-style metrics: each answers one survey question the way the survey asks it, as the
share of residents whose state is past a threshold (never a mean level), or for the civic core
the share of help the most active 31% give.

They are the model's own registered metrics (sim/metrics.py, each with the survey question it
answers in ``Metric.question``), so the report, the visualiser and calibration read the same
numbers. :func:`simulate` runs one seeded baseline and averages the metrics over a window of
days (sampled weekly), which is what calibration, its test and validation compare with targets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim import metrics as model_metrics
from sim.model import KindlinessModel
from sim.params import SETTLED_DAY, ModelParams

WINDOW_DAYS = (SETTLED_DAY, 2 * SETTLED_DAY)  # after a year's burn-in, the second year
SAMPLE_EVERY_DAYS = 7


@dataclass(frozen=True)
class SurveyMetric:
    name: str
    label: str
    doc: str  # how the model answers the survey question
    question: str  # the survey question, in the survey's words
    fn: Callable[[KindlinessModel], float]  # the share today


SURVEY_METRICS: dict[str, SurveyMetric] = {}


def _from_model_registry(name: str) -> None:
    """Register one of the model's own share metrics (sim/metrics.py) under its own name."""
    m = model_metrics.REGISTRY[name]
    SURVEY_METRICS[name] = SurveyMetric(name, m.label, m.doc, m.question,
                                        lambda model, _m=m: _today(model, _m))


def _today(model: KindlinessModel, m: model_metrics.Metric) -> float:
    """One registered metric's whole-community value for the day just run."""
    value = m.fn(model, model.today)
    if m.kind == "community":
        return float(value)
    if m.kind == "ratio":
        num, den = value
        total = float(np.sum(den))
        return float(np.sum(num)) / total if total > 0 else float("nan")
    return float(np.mean(value))


for _name in ("trust_generalised", "trust_in_group", "trust_out_group", "belonging_share",
              "loneliness_share", "chat_monthly_share", "favours_share", "help_concentration",
              "helper_strain"):
    _from_model_registry(_name)


def simulate(params: ModelParams, seed: int, names: tuple[str, ...] | None = None, *,
             window: tuple[int, int] = WINDOW_DAYS,
             every: int = SAMPLE_EVERY_DAYS) -> dict[str, float]:
    """Run one seeded model to the end of ``window`` and return each survey metric's mean
    over weekly samples inside the window."""
    names = tuple(names or SURVEY_METRICS)
    samples = sample_window(params, seed, lambda m: [SURVEY_METRICS[n].fn(m) for n in names],
                            window=window, every=every)
    return dict(zip(names, np.mean(samples, axis=0).tolist(), strict=True))


def sample_window(params: ModelParams, seed: int, read: Callable[[KindlinessModel], object], *,
                  window: tuple[int, int] = WINDOW_DAYS,
                  every: int = SAMPLE_EVERY_DAYS) -> list:
    """Run one seeded model to the end of ``window``; ``read(model)`` on the window's first
    day and every ``every`` days after, in order."""
    start, end = window
    model = KindlinessModel(params, seed=seed, days_hint=end + 1)
    model.run_days(start)
    samples = []
    for day in range(start, end + 1):
        if day > start:
            model.step()
        if (day - start) % every == 0:
            samples.append(read(model))
    return samples
