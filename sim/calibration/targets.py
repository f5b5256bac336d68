"""Calibration targets: survey figures, the model metric each maps to, and a tolerance.

The targets live in ``data/calibration_targets.toml`` so that a reader can check each figure
against its source without reading code; this module reads and checks that file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TARGETS = Path(__file__).resolve().parents[2] / "data" / "calibration_targets.toml"
_REQUIRED = ("metric", "value", "tolerance", "source", "question", "mapping")


@dataclass(frozen=True)
class Target:
    """One survey figure the baseline should reproduce."""

    name: str
    metric: str  # a name in sim.calibration.survey.SURVEY_METRICS
    value: float  # the survey share (0-1)
    tolerance: float  # half-width the calibrated baseline must land within
    source: str
    question: str  # the survey question, in the survey's words
    mapping: str  # how the model's metric answers that question
    weight: float = 1.0  # weight in the calibration objective
    fit: bool = True  # False: reported beside the fit, not fitted (see ``reason``)
    reason: str = ""

    @property
    def interval(self) -> tuple[float, float]:
        return self.value - self.tolerance, self.value + self.tolerance


def load_targets(path: str | Path = DEFAULT_TARGETS) -> tuple[Target, ...]:
    """Read and check the targets file; every problem is gathered, then raised at once."""
    from sim.calibration.survey import SURVEY_METRICS

    path = Path(path)
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    errors, out = [], []
    for name, spec in raw.get("targets", {}).items():
        where = f"{path.name}: targets.{name}"
        missing = [k for k in _REQUIRED if k not in spec]
        if missing:
            errors.append(f"{where}: missing {', '.join(missing)}")
            continue
        unknown = set(spec) - set(_REQUIRED) - {"weight", "fit", "reason"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        if spec["metric"] not in SURVEY_METRICS:
            errors.append(f"{where}.metric: {spec['metric']!r} is not a survey metric; "
                          f"allowed: {', '.join(sorted(SURVEY_METRICS))}")
        if not 0 <= spec["value"] <= 1:
            errors.append(f"{where}.value: {spec['value']} must be a share between 0 and 1")
        if not spec["tolerance"] > 0:
            errors.append(f"{where}.tolerance: must be positive")
        fit = bool(spec.get("fit", True))
        if not fit and not spec.get("reason"):
            errors.append(f"{where}: fit = false needs a reason")
        out.append(Target(name=name, metric=spec["metric"], value=float(spec["value"]),
                          tolerance=float(spec["tolerance"]), source=spec["source"],
                          question=spec["question"], mapping=spec["mapping"],
                          weight=float(spec.get("weight", 1.0)), fit=fit,
                          reason=spec.get("reason", "")))
    if not out:
        errors.append(f"{path.name}: no [targets.*] tables")
    if errors:
        raise ValueError("\n".join(errors))
    return tuple(out)
