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
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats

from sim import metrics as model_metrics
from sim.calibration.survey import SAMPLE_EVERY_DAYS, WINDOW_DAYS, sample_window
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
        problems.append(f"interventions: a place describes a community as it is; "
                        f"{len(interventions)} intervention(s) given (compare interventions "
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


@dataclass(frozen=True)
class Estimate:
    """A mean over seeds with its 95% t-interval."""

    mean: float
    lo: float
    hi: float
    n: int

    @classmethod
    def of(cls, values) -> Estimate:
        x = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
        if len(x) == 0:
            return cls(float("nan"), float("nan"), float("nan"), 0)
        if len(x) == 1:
            return cls(float(x[0]), float("nan"), float("nan"), 1)
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        return cls(float(x.mean()), float(x.mean() - half), float(x.mean() + half), len(x))


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
        return Estimate.of([r.get(col, float("nan")) for r in self.place(key).runs])

    def contrast(self, key: str, metric: str, group: str = ALL) -> Estimate:
        """Place (or one of its sections) minus the baseline's whole community, paired by seed."""
        col = metric if group == ALL else f"{metric}[section={group}]"
        here = self.place(key).runs
        base = self.baseline.runs
        return Estimate.of([r.get(col, float("nan")) - b[metric]
                            for r, b in zip(here, base, strict=True)])

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


# ---------------------------------------------------------------------------------------------
# Observed figures (data/places_observed.toml: never fitted) and the comparison
# ---------------------------------------------------------------------------------------------

OBSERVED_FILE = REPO / "data" / "places_observed.toml"
Z95 = 1.959964
DESIGN_EFFECT = 1.5  # assumed where a survey publishes no interval (data/places_observed.toml)
KINDS = ("survey", "composition", "proxy", "direction")
DIRECTIONS = {"higher": 1, "lower": -1}
_REQUIRED = ("id", "place", "group", "metric", "kind", "direction", "clear", "survey",
             "question", "source", "status", "uncertainty")
_OPTIONAL = ("value", "n", "lo", "hi", "reference", "reference_n", "reference_lo",
             "reference_hi", "parts", "note")
_BY_KIND = {"survey": ("value", "reference"), "composition": ("parts",),
            "proxy": ("lo", "hi", "reference"), "direction": ()}


def _sampling_se(p: float, n: float, deff: float = DESIGN_EFFECT) -> float:
    """Standard error of a survey share ``p`` from ``n`` respondents (design effect deff)."""
    return float(np.sqrt(deff * p * (1 - p) / n))


@dataclass(frozen=True)
class Observation:
    """One published figure for a place, mapped to a survey metric (never fitted)."""

    id: str
    place: str
    group: str  # "all", or the section the figure is about (person-level figures)
    metric: str
    kind: str  # survey | composition | proxy | direction
    direction: str  # "higher" or "lower" than the reference
    clear: bool  # the source shows the direction clearly: held by a test
    survey: str
    question: str
    source: str
    status: str
    uncertainty: str
    value: float | None = None  # the observed share (None: a range or a direction only)
    lo: float | None = None  # its 95% interval, or the range of a proxy
    hi: float | None = None
    reference: float | None = None  # the comparison group's share
    contrast: float | None = None  # value minus reference
    contrast_lo: float | None = None
    contrast_hi: float | None = None
    note: str = ""

    @property
    def sign(self) -> int:
        return DIRECTIONS[self.direction]


def _share_interval(spec: dict, key: str, n_key: str):
    """``(value, se, lo, hi)`` of a share given with its interval or its respondents."""
    value = float(spec[key])
    lo, hi = spec.get(f"{key}_lo" if key != "value" else "lo"), spec.get(
        f"{key}_hi" if key != "value" else "hi")
    if lo is not None and hi is not None:
        return value, (float(hi) - float(lo)) / (2 * Z95), float(lo), float(hi)
    if n_key in spec:
        se = _sampling_se(value, float(spec[n_key]))
        return value, se, value - Z95 * se, value + Z95 * se
    return value, float("nan"), float("nan"), float("nan")


def _observation(spec: dict) -> Observation:
    """The figures of one [[observation]] table, with intervals and its contrast."""
    base = {k: spec[k] for k in _REQUIRED}
    base["clear"] = bool(base["clear"])
    kind = spec["kind"]
    out: dict = {"note": spec.get("note", "")}
    if kind == "survey":
        v, se_v, lo, hi = _share_interval(spec, "value", "n")
        r, se_r, *_ = _share_interval(spec, "reference", "reference_n")
        half = Z95 * float(np.hypot(se_v, se_r))
        out.update(value=v, lo=lo, hi=hi, reference=r, contrast=v - r,
                   contrast_lo=v - r - half, contrast_hi=v - r + half)
    elif kind == "composition":
        parts = spec["parts"]
        shares = np.array([float(x["share"]) for x in parts])
        values = np.array([float(x["value"]) for x in parts])
        ses = np.array([_sampling_se(v, float(x["n"])) for v, x in zip(values, parts,
                                                                        strict=True)])
        v = float(shares @ values)
        half = Z95 * float(np.sqrt(np.sum((shares * ses) ** 2)))
        r = float(values[-1])  # the reference is the last part (everyone else)
        # place minus reference = sum of shares x (part - reference): the last term is zero
        c = float(shares[:-1] @ (values[:-1] - r))
        c_half = Z95 * float(np.sqrt(np.sum((shares[:-1] * ses[:-1]) ** 2)
                                     + (shares[:-1].sum() * ses[-1]) ** 2))
        out.update(value=v, lo=v - half, hi=v + half, reference=r, contrast=c,
                   contrast_lo=c - c_half, contrast_hi=c + c_half)
    elif kind == "proxy":
        lo, hi = float(spec["lo"]), float(spec["hi"])
        r, se_r, *_ = _share_interval(spec, "reference", "reference_n")
        out.update(lo=lo, hi=hi, reference=r, contrast_lo=lo - r - Z95 * se_r,
                   contrast_hi=hi - r + Z95 * se_r)
    return Observation(**base, **out)


def _check_observation(spec, where: str) -> list[str]:
    errors = []
    if not isinstance(spec, dict):
        return [f"{where}: expected a table of keys"]
    missing = [k for k in _REQUIRED if k not in spec]
    if missing:
        errors.append(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(set(spec) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        errors.append(f"{where}: unknown keys {unknown}")
    kind = spec.get("kind")
    if kind not in KINDS:
        return errors + [f"{where}.kind: {kind!r} is not one of {', '.join(KINDS)}"]
    needed = [k for k in _BY_KIND[kind] if k not in spec]
    if needed:
        errors.append(f"{where}: kind {kind!r} needs {', '.join(needed)}")
    if spec.get("metric") not in PLACE_METRICS:
        errors.append(f"{where}.metric: {spec.get('metric')!r} is not a place metric; "
                      f"allowed: {', '.join(PLACE_METRICS)}")
    if spec.get("direction") not in DIRECTIONS:
        errors.append(f"{where}.direction: {spec.get('direction')!r} must be 'higher' or "
                      "'lower'")
    if "clear" in spec and not isinstance(spec["clear"], bool):
        errors.append(f"{where}.clear: must be true or false")
    shares = [(k, spec[k]) for k in ("value", "lo", "hi", "reference", "reference_lo",
                                     "reference_hi") if k in spec]
    shares += [(f"parts[{i}].value", p.get("value")) for i, p in enumerate(spec.get("parts", ()))
               if isinstance(p, dict)]
    for key, v in shares:
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1:
            errors.append(f"{where}.{key}: {v!r} must be a share from 0 to 1")
    for key in ("n", "reference_n"):
        if key in spec and not (isinstance(spec[key], (int, float)) and spec[key] > 0):
            errors.append(f"{where}.{key}: {spec[key]!r} must be a positive number of "
                          "respondents")
    if kind == "composition" and "parts" in spec:
        parts = spec["parts"]
        if (not isinstance(parts, list) or len(parts) < 2
                or not all(isinstance(p, dict) and {"share", "value", "n"} <= set(p)
                           for p in parts)):
            errors.append(f"{where}.parts: give at least two {{ share, value, n }} tables")
        elif abs(sum(float(p["share"]) for p in parts) - 1) > 1e-6:
            errors.append(f"{where}.parts: shares sum to "
                          f"{sum(float(p['share']) for p in parts):g}, must sum to 1")
    return errors


def load_observed(path: str | Path = OBSERVED_FILE) -> tuple[Observation, ...]:
    """Read and check the observed figures; every problem is gathered, then raised at once
    (ValueError, one line each, naming the file and the observation)."""
    from sim.scenario.reading import read_toml

    path = Path(path)
    raw = read_toml(path)
    errors = []
    if raw.get("never_fitted") is not True:
        errors.append(f"{path.name}: never_fitted = true is required (these figures are for "
                      "checking predictions, never for fitting)")
    unknown = sorted(set(raw) - {"never_fitted", "observation"})
    if unknown:
        errors.append(f"{path.name}: unknown top-level keys {unknown}")
    specs = raw.get("observation", [])
    if not isinstance(specs, list) or not specs:
        errors.append(f"{path.name}: no [[observation]] tables")
        specs = []
    seen = set()
    for i, spec in enumerate(specs):
        where = f"{path.name}: observation[{i}]"
        if isinstance(spec, dict) and "id" in spec:
            where = f"{path.name}: observation {spec['id']!r}"
            if spec["id"] in seen:
                errors.append(f"{where}: id used twice")
            seen.add(spec["id"])
        errors += _check_observation(spec, where)
    if errors:
        raise ValueError("\n".join(errors))
    return tuple(_observation(s) for s in specs)


def direction_verdict(sign: int, contrast: Estimate) -> str:
    """How the model's paired contrast stands against an observed direction: ``held`` (its
    95% interval lies on the observed side of zero), ``wrong`` (on the other side) or
    ``none`` (the interval includes zero: no clear effect)."""
    if not np.isfinite(contrast.lo):
        return "held" if np.sign(contrast.mean) == sign else "none"
    if sign * contrast.lo > 0 and sign * contrast.hi > 0:
        return "held"
    if sign * contrast.lo < 0 and sign * contrast.hi < 0:
        return "wrong"
    return "none"


def size_verdict(obs: Observation, contrast: Estimate) -> str:
    """The predicted contrast's size against the observed one: ``within`` (the intervals
    overlap), ``too small`` or ``too large`` (same direction, no overlap), ``wrong
    direction``, or ``direction only`` where no observed size exists."""
    if obs.contrast_lo is None:
        return "direction only"
    if contrast.hi < obs.contrast_lo or contrast.lo > obs.contrast_hi:
        if np.sign(contrast.mean) != obs.sign:
            return "wrong direction"
        observed = (obs.contrast if obs.contrast is not None
                    else (obs.contrast_lo + obs.contrast_hi) / 2)
        return "too small" if abs(contrast.mean) < abs(observed) else "too large"
    return "within"


def compare(pred: Predictions, observed) -> list[dict]:
    """One row per observation of a predicted place: observed and predicted level and
    contrast, each with its interval, and the direction and size verdicts."""
    keys = {p.key for p in pred.all_places()}
    rows = []
    for obs in observed:
        if obs.place not in keys:
            continue
        place = pred.place(obs.place)
        if obs.group != ALL and obs.group not in place.sections:
            continue
        lv = pred.level(obs.place, obs.metric, obs.group)
        ct = pred.contrast(obs.place, obs.metric, obs.group)
        rows.append({
            "id": obs.id, "place": obs.place, "place_name": place.name, "group": obs.group,
            "metric": obs.metric, "kind": obs.kind, "direction": obs.direction,
            "clear": obs.clear,
            "observed": obs.value, "observed_lo": obs.lo, "observed_hi": obs.hi,
            "observed_reference": obs.reference,
            "observed_contrast": obs.contrast, "observed_contrast_lo": obs.contrast_lo,
            "observed_contrast_hi": obs.contrast_hi,
            "predicted": lv.mean, "predicted_lo": lv.lo, "predicted_hi": lv.hi,
            "predicted_contrast": ct.mean, "predicted_contrast_lo": ct.lo,
            "predicted_contrast_hi": ct.hi,
            "direction_verdict": direction_verdict(obs.sign, ct),
            "size_verdict": size_verdict(obs, ct),
            "source": obs.source, "status": obs.status,
        })
    return rows


# ---------------------------------------------------------------------------------------------
# Text and chart
# ---------------------------------------------------------------------------------------------

METRIC_LABELS = {
    "trust_generalised": "neighbour trust",
    "belonging_share": "belonging",
    "chat_monthly_share": "chat monthly",
    "favours_share": "favours",
    "loneliness_share": "lonely often/always",
}


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{100 * x:.1f}"


def _interval(e: Estimate, signed: bool = False) -> str:
    sign = "+" if signed and e.mean >= 0 else ""
    if not np.isfinite(e.lo):
        return f"{sign}{_pct(e.mean)}"
    lo_sign = "+" if signed and e.lo >= 0 else ""
    hi_sign = "+" if signed and e.hi >= 0 else ""
    return f"{sign}{_pct(e.mean)} [{lo_sign}{_pct(e.lo)}, {hi_sign}{_pct(e.hi)}]"


def predictions_text(pred: Predictions) -> str:
    """A plain-text table of the predictions (percent, 95% intervals over seeds)."""
    lines = [f"Predicted survey shares, % of residents (mean of {len(pred.seeds)} seeds, days "
             f"{pred.window[0]}-{pred.window[1]}, 95% interval); contrast = place minus the "
             "baseline, paired by seed, in points", ""]
    head = f"{'place':28s} {'metric':20s} {'predicted':>22s} {'contrast':>24s}"
    lines += [head, "-" * len(head)]
    for p in pred.all_places():
        for metric in pred.metrics:
            lv = pred.level(p.key, metric)
            ct = pred.contrast(p.key, metric)
            contrast = "" if p.key == BASELINE_KEY else _interval(ct, signed=True)
            lines.append(f"{p.name[:28]:28s} {METRIC_LABELS.get(metric, metric):20s} "
                         f"{_interval(lv):>22s} {contrast:>24s}")
    return "\n".join(lines)


def plot_predictions(pred: Predictions, ax=None):
    """Each metric's predicted share by place (dot, 95% interval over seeds), the baseline's
    interval shaded. Returns the figure."""
    import matplotlib.pyplot as plt

    metrics = list(pred.metrics)
    if ax is None:
        fig, axes = plt.subplots(1, len(metrics), figsize=(3.1 * len(metrics), 3.4),
                                 sharey=True)
    else:
        axes = np.atleast_1d(ax)
        fig = axes[0].figure
    places = pred.all_places()
    y = np.arange(len(places))[::-1]
    for a, metric in zip(axes, metrics, strict=True):
        base = pred.level(BASELINE_KEY, metric)
        if np.isfinite(base.lo):
            a.axvspan(base.lo, base.hi, color="#dddddd", lw=0)
        a.axvline(base.mean, color="#888888", lw=1)
        for yi, p in zip(y, places, strict=True):
            e = pred.level(p.key, metric)
            err = ([[e.mean - e.lo], [e.hi - e.mean]] if np.isfinite(e.lo) else None)
            a.errorbar(e.mean, yi, xerr=err, fmt="o", color="#0072B2", capsize=3)
        a.set_title(METRIC_LABELS.get(metric, metric), fontsize=10)
        a.set_xlim(0, 1)
        a.set_xlabel("share of residents")
    axes[0].set_yticks(y, [p.name for p in places])
    fig.suptitle("Predicted for places the model was never fitted to (model: dot, 95% "
                 "interval over seeds)", fontsize=10)
    fig.tight_layout()
    return fig


VERDICT_WORDS = {"held": "direction held", "wrong": "WRONG direction",
                 "none": "no clear effect"}


def comparison_text(rows: list[dict]) -> str:
    """Observed against predicted, one line per observation (points; 95% intervals)."""
    def span(lo, hi, mid=None):
        if lo is None or not np.isfinite(lo):
            return "n/a" if mid is None else f"{100 * mid:+.1f}"
        mid_text = "" if mid is None else f"{100 * mid:+.1f} "
        return f"{mid_text}[{100 * lo:+.1f}, {100 * hi:+.1f}]"

    lines = ["Observed against predicted contrast (place minus its comparison group, points; "
             "95% intervals; observed figures never fitted)", ""]
    head = (f"{'observation':26s} {'observed contrast':>24s} {'predicted contrast':>24s}  "
            "verdict")
    lines += [head, "-" * (len(head) + 20)]
    for r in rows:
        if r["kind"] == "direction":
            observed = f"{r['direction']} (direction only)"
        else:
            observed = span(r["observed_contrast_lo"], r["observed_contrast_hi"],
                            r["observed_contrast"])
        predicted = span(r["predicted_contrast_lo"], r["predicted_contrast_hi"],
                         r["predicted_contrast"])
        verdict = VERDICT_WORDS[r["direction_verdict"]]
        if r["size_verdict"] not in ("direction only", "wrong direction"):
            verdict += f", size {r['size_verdict']}"
        if not r["clear"]:
            verdict += " (direction not clear in the data: not tested)"
        lines.append(f"{r['id']:26s} {observed:>24s} {predicted:>24s}  {verdict}")
    return "\n".join(lines)


def plot_comparison(rows: list[dict], ax=None):
    """Observed contrast (orange: 95% interval or range; an arrow where only the direction
    is known) against the model's paired contrast (blue dot, 95% interval over seeds), one
    row per observation, in points. Returns the figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(9.5, 0.42 * len(rows) + 1.6))
    else:
        fig = ax.figure
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows, strict=True):
        sign = DIRECTIONS[r["direction"]]
        if r["kind"] == "direction":
            ax.annotate("", xy=(sign * 6, yi + 0.15), xytext=(0, yi + 0.15),
                        arrowprops={"arrowstyle": "->", "color": "#D55E00", "lw": 1.5})
        else:
            lo, hi = 100 * r["observed_contrast_lo"], 100 * r["observed_contrast_hi"]
            ax.plot([lo, hi], [yi + 0.15] * 2, color="#D55E00", lw=4, alpha=0.6,
                    solid_capstyle="butt")
            if r["observed_contrast"] is not None:
                ax.plot(100 * r["observed_contrast"], yi + 0.15, "|", color="#D55E00",
                        ms=10, mew=2)
        mid = 100 * r["predicted_contrast"]
        err = [[mid - 100 * r["predicted_contrast_lo"]], [100 * r["predicted_contrast_hi"] - mid]]
        colour = {"held": "#0072B2", "none": "#999999", "wrong": "#CC3311"}[
            r["direction_verdict"]]
        ax.errorbar(mid, yi - 0.15, xerr=err, fmt="o", color=colour, capsize=3, ms=5)
    ax.axvline(0, color="#444444", lw=0.8)
    labels = [f"{r['place_name']}: {METRIC_LABELS.get(r['metric'], r['metric'])}"
              + ("" if r["group"] == ALL else f" ({r['group']})")
              + ("" if r["clear"] else " *") for r in rows]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("contrast with the comparison group (percentage points)")
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="#D55E00", lw=4, alpha=0.6, label="observed (95% interval or range)"),
        Line2D([], [], color="#D55E00", marker=r"$\rightarrow$", ls="", ms=12,
               label="observed: direction only"),
        Line2D([], [], color="#0072B2", marker="o", ls="", label="model: direction held"),
        Line2D([], [], color="#CC3311", marker="o", ls="", label="model: wrong direction"),
        Line2D([], [], color="#999999", marker="o", ls="", label="model: no clear effect"),
    ]
    ax.legend(handles=handles, fontsize=7, loc="lower left", framealpha=0.9)
    ax.set_title("Places never fitted to: observed against predicted contrast (model: 95% "
                 "interval over seeds;\n* direction not clear in the data, not tested)",
                 fontsize=9)
    fig.tight_layout()
    return fig
