"""Out of sample: what the model predicts for places it was never fitted to (issue 15).

A *place* is a scenario file (``scenarios/places/``) that extends the calibrated baseline and
changes only what a council knows about a real kind of place: how many of each of the
baseline's kinds of resident live there (section shares), how often each kind moves
(``moves_per_year``), its hubs, and (where a source gives one) the density of ties or a
section's outside contact. :func:`check_place` refuses anything else, so no behavioural or
calibrated value can be refitted to a place.

:func:`predict_places` runs the baseline and every place on the same fresh seeds (paired;
never used by calibration) and reads the survey metrics the calibration uses
(``sim.calibration.survey``), for the whole community and for each section, averaged over
weekly samples of the second year. :class:`Predictions` turns the runs into a table: each
place's predicted share with a 95% interval over seeds, and its paired contrast with the
baseline (place minus baseline, seed by seed, against the baseline's whole community).

The published figures and the verdicts on them are in :mod:`sim.validation.places_observed`;
the tables, charts and files in :mod:`sim.validation.places_output`; the command in
:mod:`sim.validation.places_cli`.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim import metrics as model_metrics
from sim.calibration.survey import SAMPLE_EVERY_DAYS, WINDOW_DAYS, sample_window
from sim.ensemble.intervals import t_quantile
from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.params import ModelParams

REPO = Path(__file__).resolve().parents[2]
PLACES_DIR = REPO / "scenarios" / "places"
BASELINE_FILE = REPO / "scenarios" / "baseline.toml"
STREAM_PLACES = 6101  # SeedSequence word for the places' seeds (calibration uses 6001, 6002)
DEFAULT_SEEDS = 8
BASELINE_KEY = "baseline"
ALL = "all"  # the group of a whole-community figure (others are section names)

# The survey metrics a place is predicted on: the calibration's own (sim.calibration.survey),
# those with an observed breakdown by kind of place.
PLACE_METRICS = ("trust_generalised", "belonging_share", "chat_monthly_share", "favours_share",
                 "loneliness_share")

# What a place may change (everything else must equal the baseline's): see check_place.
PLACE_SECTION_FIELDS = ("share", "moves_per_year", "outside_contact_mean")
PLACE_NETWORK_FIELDS = ("ties_per_resident",)
PLACE_POPULATION_FIELDS = ("n_residents", "sections")


# ---------------------------------------------------------------------------------------------
# What a place may change
# ---------------------------------------------------------------------------------------------


def _differences(base, other, prefix: str, allowed: tuple[str, ...] = ()) -> list[str]:
    out = []
    for f in dataclasses.fields(base):
        if f.name in allowed:
            continue
        a, b = getattr(base, f.name), getattr(other, f.name)
        if a != b:
            out.append(f"{prefix}{f.name}: {b!r} differs from the baseline's {a!r}")
    return out


def check_place(baseline: ModelParams, place: ModelParams, interventions=()) -> list[str]:
    """Every way ``place`` changes more than a council's description may (empty: none).

    A place may change the number of residents, its sections' shares, ``moves_per_year`` and
    ``outside_contact_mean``, its hubs, and ``network.ties_per_resident``. Its sections must be
    the baseline's kinds of resident (by name), each with the baseline's orientation mix,
    trust priors and need rate; every rule, orientation profile and every other population
    and network value (the calibrated ones among them) must be the baseline's."""
    problems = []
    if interventions:
        n = len(interventions)
        problems.append(f"interventions: a place describes a community as it is; "
                        f"{n} intervention{'s' if n != 1 else ''} given (compare interventions "
                        "with 'python run.py compare')")
    problems += _differences(baseline.rules, place.rules, "rules.")
    for name, profile in baseline.orientations.items():
        problems += _differences(profile, place.orientations[name], f"orientations.{name}.")
    problems += _differences(baseline.network, place.network, "network.", PLACE_NETWORK_FIELDS)
    problems += _differences(baseline.population, place.population, "population.",
                             PLACE_POPULATION_FIELDS)
    kinds = {s.name: s for s in baseline.population.sections}
    for i, s in enumerate(place.population.sections):
        where = f"population.sections[{i}] ({s.name})."
        if s.name not in kinds:
            problems.append(f"{where[:-1]}: not one of the baseline's kinds of resident "
                            f"({', '.join(kinds)}); a place is a mix of those kinds")
            continue
        problems += _differences(kinds[s.name], s, where, ("name", *PLACE_SECTION_FIELDS))
    return problems


# ---------------------------------------------------------------------------------------------
# Running a place
# ---------------------------------------------------------------------------------------------


def place_seeds(root: int, n: int) -> list[int]:
    """``n`` seeds for the places, derived from ``root`` (same root, same seeds), on a stream
    calibration never uses."""
    return [int(s) for s in np.random.SeedSequence([root, STREAM_PLACES]).generate_state(n)]


def survey_today(model, names=PLACE_METRICS) -> dict[str, float]:
    """Today's survey shares for the whole community (``name``) and each section
    (``name[section=...]``), read from the model's own registered metrics."""
    pop = model.pop
    sections = pop.section_names
    out = {}
    for name in names:
        m = model_metrics.REGISTRY[name]
        value = m.fn(model, model.today)
        if m.kind == "community":
            out[name] = float(value)
            continue
        if m.kind == "ratio":
            num, den = (np.asarray(v, dtype=float) for v in value)
            total = den.sum()
            out[name] = float(num.sum() / total) if total > 0 else float("nan")
            for k, s in enumerate(sections):
                d = den[pop.section == k].sum()
                out[f"{name}[section={s}]"] = (float(num[pop.section == k].sum() / d)
                                               if d > 0 else float("nan"))
            continue
        value = np.asarray(value, dtype=float)
        out[name] = float(value.mean())
        for k, s in enumerate(sections):
            inside = pop.section == k
            out[f"{name}[section={s}]"] = (float(value[inside].mean()) if inside.any()
                                          else float("nan"))
    return out


def simulate_place(params: ModelParams, seed: int, names=PLACE_METRICS, *,
                   window: tuple[int, int] = WINDOW_DAYS,
                   every: int = SAMPLE_EVERY_DAYS) -> dict[str, float]:
    """One seeded run: each survey share (whole community and by section) averaged over
    samples every ``every`` days inside ``window`` (the calibration's second year)."""
    samples = sample_window(params, seed, lambda model: survey_today(model, names),
                            window=window, every=every)
    return {k: float(np.nanmean([s[k] for s in samples])) for k in samples[0]}


def _run_one(job) -> dict[str, float]:
    params, seed, names, window = job
    return simulate_place(params, seed, names, window=window)


# ---------------------------------------------------------------------------------------------
# Predictions
# ---------------------------------------------------------------------------------------------


SHARE_BOUNDS = (0.0, 1.0)  # what a predicted share can be (every metric here is one)
CONTRAST_BOUNDS = (-1.0, 1.0)  # and a difference of two shares


@dataclass(frozen=True)
class Estimate:
    """A mean over seeds with its 95% t-interval."""

    mean: float
    lo: float
    hi: float
    n: int

    @classmethod
    def of(cls, values, bounds: tuple[float, float] = (-np.inf, np.inf)) -> Estimate:
        """The mean of the finite ``values`` and its interval, kept within ``bounds`` (what
        the quantity can be: a share is never below 0% or above 100%, whatever a t-interval
        over two seeds says)."""
        x = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
        if len(x) == 0:
            return cls(float("nan"), float("nan"), float("nan"), 0)
        if len(x) == 1:
            return cls(float(x[0]), float("nan"), float("nan"), 1)
        half = t_quantile(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        return cls(float(x.mean()), float(max(x.mean() - half, bounds[0])),
                   float(min(x.mean() + half, bounds[1])), len(x))


@dataclass
class PlaceRuns:
    """One place's runs: ``runs[i]`` is seed i's figures (:func:`simulate_place`)."""

    key: str  # the file's stem, or "baseline"
    name: str  # the scenario's name
    path: str
    residents: int
    sections: tuple[str, ...]
    runs: list[dict[str, float]]


@dataclass
class Predictions:
    baseline: PlaceRuns
    places: list[PlaceRuns]
    seeds: list[int]
    root_seed: int
    window: tuple[int, int]
    metrics: tuple[str, ...] = PLACE_METRICS
    settings: dict = field(default_factory=dict)

    def all_places(self) -> list[PlaceRuns]:
        return [self.baseline, *self.places]

    def place(self, key: str) -> PlaceRuns:
        for p in self.all_places():
            if p.key == key:
                return p
        raise KeyError(key)

    def level(self, key: str, metric: str, group: str = ALL) -> Estimate:
        """The predicted share of ``metric`` (whole community, or one section)."""
        col = metric if group == ALL else f"{metric}[section={group}]"
        return Estimate.of([r.get(col, float("nan")) for r in self.place(key).runs],
                           bounds=SHARE_BOUNDS)

    def contrast(self, key: str, metric: str, group: str = ALL) -> Estimate:
        """Place (or one of its sections) minus the baseline's whole community, paired by seed."""
        col = metric if group == ALL else f"{metric}[section={group}]"
        here = self.place(key).runs
        base = self.baseline.runs
        return Estimate.of([r.get(col, float("nan")) - b[metric]
                            for r, b in zip(here, base, strict=True)], bounds=CONTRAST_BOUNDS)

    def table(self):
        """One row per place, metric and group (``all`` or a section): the predicted share
        and its contrast with the baseline, each with a 95% interval over seeds."""
        import pandas as pd

        rows = []
        for p in self.all_places():
            for metric in self.metrics:
                for group in (ALL, *p.sections):
                    lv, ct = self.level(p.key, metric, group), self.contrast(p.key, metric, group)
                    rows.append({
                        "place": p.key, "place_name": p.name, "metric": metric, "group": group,
                        "predicted": lv.mean, "ci95_lo": lv.lo, "ci95_hi": lv.hi,
                        "contrast": ct.mean, "contrast_ci95_lo": ct.lo,
                        "contrast_ci95_hi": ct.hi, "seeds": lv.n, "residents": p.residents,
                        "window_days": f"{self.window[0]}-{self.window[1]}",
                        "root_seed": self.root_seed,
                    })
        return pd.DataFrame(rows)


def predict_places(baseline, places, *, seeds, root_seed: int = DEFAULT_ROOT_SEED,
                   window: tuple[int, int] = WINDOW_DAYS, names=PLACE_METRICS,
                   executor: Executor | None = None) -> Predictions:
    """Run the baseline scenario and each place scenario on every seed (paired)."""
    scenarios = [(BASELINE_KEY, baseline), *((Path(s.path).stem if s.path else s.slug, s)
                                             for s in places)]
    jobs = [(s.model, seed, tuple(names), window) for _, s in scenarios for seed in seeds]
    results = list(executor.map(_run_one, jobs)) if executor else [_run_one(j) for j in jobs]
    out = []
    for i, (key, s) in enumerate(scenarios):
        runs = results[i * len(seeds):(i + 1) * len(seeds)]
        out.append(PlaceRuns(key=key, name=s.name, path=str(s.path or ""),
                             residents=s.model.population.n_residents,
                             sections=tuple(x.name for x in s.model.population.sections),
                             runs=runs))
    return Predictions(baseline=out[0], places=out[1:], seeds=list(seeds), root_seed=root_seed,
                       window=tuple(window), metrics=tuple(names))
