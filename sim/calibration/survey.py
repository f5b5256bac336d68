"""Survey-style metrics: each answers one survey question the way the survey asks it, as the
share of residents whose state is past a threshold (never a mean level).

Most are the model's own registered metrics (sim/metrics.py); two are defined here, in the
registry pattern of sim/metrics.py, because the surveys ask them differently from the
model's outcome metrics:

- ``favours_monthly_share``: the Community Life Survey asks whether people "borrow things
  and exchange favours with their neighbours" (agree/disagree, no window). We read that as a
  current, regular practice: gave or received help in the past 30 days (the same window as
  the survey's companion item on chatting). The model's own ``favours_share`` uses a one-year
  window, which almost every resident passes.
- ``help_top31_share``: Mohan & Bulloch (2012) report that 31% of adults give 87% of
  volunteering hours; the model's ``help_concentration`` reports the top 20%'s share, so
  this metric reports the top 31%'s share of help, for a like-for-like comparison.

:func:`simulate` runs one seeded baseline and averages the metrics over a window of days
(sampled weekly), which is what calibration, its test and validation compare with targets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim import metrics as model_metrics
from sim.model import KindlinessModel
from sim.params import ModelParams

FAVOUR_RECALL_DAYS = 30  # "exchange favours" read as a current practice: the past month
CIVIC_CORE_SHARE = 0.31  # Mohan & Bulloch 2012: the most active 31%
WINDOW_DAYS = (365, 730)  # averaged after a year's burn-in, over the second year
SAMPLE_EVERY_DAYS = 7


@dataclass(frozen=True)
class SurveyMetric:
    name: str
    label: str
    doc: str  # the survey question and the threshold that answers it
    fn: Callable[[KindlinessModel], float]  # the share today


SURVEY_METRICS: dict[str, SurveyMetric] = {}


def survey_metric(name: str, *, label: str, doc: str):
    def register(fn):
        SURVEY_METRICS[name] = SurveyMetric(name, label, doc, fn)
        return fn

    return register


def _from_model_registry(name: str) -> None:
    """Register one of the model's own share metrics (sim/metrics.py) under its own name."""
    m = model_metrics.REGISTRY[name]
    SURVEY_METRICS[name] = SurveyMetric(
        name, m.label, m.doc, lambda model, _fn=m.fn: float(np.mean(_fn(model, None))))


for _name in ("trust_generalised", "trust_in_group", "trust_out_group", "belonging_share",
              "loneliness_share", "chat_monthly_share"):
    _from_model_registry(_name)


@survey_metric(
    "favours_monthly_share", label="Exchanged favours with a neighbour this month",
    doc="Share of residents who gave or received help in the past 30 days (CLS: 'borrow "
    "things and exchange favours with neighbours', read as a current practice).")
def _favours_monthly_share(model: KindlinessModel) -> float:
    return float(np.mean(model.day - model.pop.last_help_day < FAVOUR_RECALL_DAYS))


@survey_metric(
    "help_top31_share", label="Help given by the most active 31%",
    doc="Share of help (counted with a one-year half-life) given by the 31% of residents who "
    "give most (Mohan & Bulloch 2012: 31% give 87% of volunteering hours).")
def _help_top31_share(model: KindlinessModel) -> float:
    return model_metrics.share_given_by_top(model.pop.helps_given, CIVIC_CORE_SHARE)


def simulate(params: ModelParams, seed: int, names: tuple[str, ...] | None = None, *,
             window: tuple[int, int] = WINDOW_DAYS,
             every: int = SAMPLE_EVERY_DAYS) -> dict[str, float]:
    """Run one seeded model to the end of ``window`` and return each survey metric's mean
    over weekly samples inside the window."""
    names = tuple(names or SURVEY_METRICS)
    start, end = window
    model = KindlinessModel(params, seed=seed, days_hint=end + 1)
    model.run_days(start)
    samples = []
    for day in range(start, end + 1):
        if day > start:
            model.step()
        if (day - start) % every == 0:
            samples.append([SURVEY_METRICS[n].fn(model) for n in names])
    return dict(zip(names, np.mean(samples, axis=0).tolist(), strict=True))
