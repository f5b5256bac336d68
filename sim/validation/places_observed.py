"""Published figures for places (data/places_observed.toml, never fitted) and how the
model's predictions stand against them.

:func:`load_observed` reads and checks the figures, each mapped to a place survey metric
with its 95% interval and its contrast with a comparison group; :func:`compare` sets each
against the model's paired contrast for that place (:mod:`sim.validation.places`) and
gives a verdict on its direction and its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.ensemble.intervals import t_quantile
from sim.validation.places import ALL, PLACE_METRICS, REPO, Estimate, Predictions

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
    if not raw:  # a user check: an empty file was told of its two missing parts
        raise ValueError(f"{path}: file is empty; it needs never_fitted = true and an "
                         "[[observation]] table for each figure (see data/"
                         f"{OBSERVED_FILE.name})")
    errors = []
    if raw.get("never_fitted") is not True:
        errors.append(f"{path}: never_fitted = true is required (these figures are for "
                      "checking predictions, never for fitting)")
    unknown = sorted(set(raw) - {"never_fitted", "observation"})
    if unknown:
        errors.append(f"{path}: unknown top-level keys {unknown}")
    specs = raw.get("observation", [])
    if not isinstance(specs, list) or not specs:
        errors.append(f"{path}: no [[observation]] tables")
        specs = []
    seen = set()
    for i, spec in enumerate(specs):
        where = f"{path}: observation[{i}]"
        if isinstance(spec, dict) and "id" in spec:
            where = f"{path}: observation {spec['id']!r}"
            if spec["id"] in seen:
                errors.append(f"{where}: id used twice")
            seen.add(spec["id"])
        errors += _check_observation(spec, where)
    if errors:
        raise ValueError("\n".join(errors))
    return tuple(_observation(s) for s in specs)


def direction_verdict(sign: int, contrast: Estimate) -> str:
    """How the model's paired contrast stands against an observed direction: ``held`` (its
    99% interval lies on the observed side of zero), ``mean`` (its 95% interval does, its
    99% interval not: right in the mean, not clear of seed noise, an edge that flips with
    other seeds), ``wrong`` (its 95% interval lies on the other side) or ``none`` (the 95%
    interval includes zero: no clear effect)."""
    if not np.isfinite(contrast.lo):
        return "held" if np.sign(contrast.mean) == sign else "none"
    if sign * contrast.lo > 0 and sign * contrast.hi > 0:
        # the same t-interval at 99%: wider by the ratio of the quantiles
        n = max(contrast.n, 2)
        wider = t_quantile(0.995, n - 1) / t_quantile(0.975, n - 1)
        half = wider * (contrast.hi - contrast.lo) / 2
        return "held" if sign * contrast.mean > half else "mean"
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
