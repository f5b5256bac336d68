"""Calibration targets: survey figures, the model metric each maps to, and a tolerance.

The targets live in ``data/calibration_targets.toml`` so that a reader can check each figure
against its source without reading code; this module reads and checks that file (or a
council's own, ``calibrate --targets``). Each key of a ``[targets.<name>]`` table is declared
on :class:`Target` with :func:`sim.params.param`, as a scenario file's keys are, and checked
by the scenario loader's own converter: a problem reads as one in a scenario file does
(``targets.trust_out.weight: -1 is out of range: ...``), and every problem in the file is
reported at once, before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.params import param

DEFAULT_TARGETS = Path(__file__).resolve().parents[2] / "data" / "calibration_targets.toml"
# a tolerance is a share's half-width: below a tenth of a percentage point it is far inside
# any model's seed-to-seed noise, and the fit's residuals (miss / tolerance) grow without use
MIN_TOLERANCE = 0.001
# weights are relative (the shipped ones are 0.5 and 1); far beyond this one target is the
# whole objective and its squared residuals lose the others' precision
MAX_WEIGHT = 100.0
TOP_LEVEL = ("targets",)


@dataclass(frozen=True)
class Target:
    """One survey figure the baseline should reproduce. The fields declared with ``param``
    are the keys of a ``[targets.<name>]`` table."""

    name: str  # the table's name, [targets.<name>]
    metric: str = param(unit="a survey metric's name",
                        doc="the model metric that answers the survey question "
                        "(sim.calibration.survey.SURVEY_METRICS)")
    value: float = param(unit="share, 0-1", lo=0.0, hi=1.0, doc="the survey figure")
    tolerance: float = param(unit="share, 0-1", lo=MIN_TOLERANCE, hi=1.0,
                             doc="half-width the calibrated baseline must land within")
    source: str = param(unit="text", doc="where the survey figure comes from")
    question: str = param(unit="text", doc="the survey question, in the survey's words")
    mapping: str = param(unit="text", doc="how the model's metric answers that question")
    # above 0 (checked in load_targets: a range here would allow 0)
    weight: float = param(1.0, unit="relative weight", hi=MAX_WEIGHT,
                          doc="weight in the calibration objective")
    fit: bool = param(True, unit="true or false",
                      doc="false: reported beside the fit, not fitted (see reason)")
    reason: str = param("", unit="text", doc="why a target with fit = false is not fitted")

    @property
    def interval(self) -> tuple[float, float]:
        return self.value - self.tolerance, self.value + self.tolerance


REQUIRED = ("metric", "value", "tolerance", "source", "question", "mapping")


def load_targets(path: str | Path = DEFAULT_TARGETS) -> tuple[Target, ...]:
    """Read and check the targets file. Every problem (each naming the file, the key, what
    was given and what is allowed) is gathered, then raised at once as a ``ValueError`` of
    one line per problem; a file that cannot be read at all raises
    :class:`sim.scenario.reading.InputRefused` (a ``ValueError`` too)."""
    from sim.calibration.survey import SURVEY_METRICS
    from sim.scenario.convert import Converter
    from sim.scenario.reading import read_toml
    from sim.scenario.words import describe, hint, join, num

    shown = str(path)
    raw = read_toml(path)  # the same limits as a scenario file: no FIFO, device, 1 MB, ...
    check = Converter(shown, {})
    if raw and "targets" not in raw:  # another kind of file (a scenario?): one line says so
        found = ", ".join(join("", k) for k in list(raw)[:5]) + (", ..." if len(raw) > 5 else "")
        scenario = " (is it a scenario file?)" if "name" in raw else ""
        raise ValueError(f"{shown}: not a targets file: it has no [targets.<name>] tables, "
                         f"only {found}{scenario}; see data/calibration_targets.toml for the "
                         "format")
    for key in raw:
        if key not in TOP_LEVEL:
            check.unknown_key(join("", key), key, TOP_LEVEL)
    tables = raw.get("targets", {})
    if not isinstance(tables, dict):
        check.error("targets", f"expected tables such as [targets.favours], got "
                    f"{describe(tables)}")
        tables = None
    given_by_name = {}
    for name, spec in (tables or {}).items():
        where = join("targets", name)
        check.table(Target, spec, where, construct=False)  # types, ranges, unknown keys
        if not isinstance(spec, dict):
            continue  # said by table(): not a table
        missing = [k for k in REQUIRED if k not in spec]
        if missing:
            check.error(where, f"missing {', '.join(missing)} (every target gives "
                        f"{', '.join(REQUIRED)})")
        given = check.kept[where]  # the keys whose values passed their checks
        metric = given.get("metric")
        if metric is not None and metric not in SURVEY_METRICS:
            check.error(join(where, "metric"), f"{describe(metric)} is not a survey metric"
                        f"{hint(metric, sorted(SURVEY_METRICS))}")
        weight = given.get("weight")
        if weight is not None and weight <= 0:  # sqrt(weight) scales its residual
            check.error(join(where, "weight"), f"{num(weight)} is out of range: must be "
                        f"above 0 and at most {MAX_WEIGHT:g} (relative weight; to leave a "
                        "target out of the fit, write fit = false with a reason)")
        if given.get("fit") is False and not given.get("reason"):
            check.error(where, 'fit = false needs a reason (reason = "...": why it is '
                        "reported but not fitted)")
        given_by_name[name] = given
    if tables == {}:
        check.error("targets", "no [targets.<name>] tables; see data/calibration_targets.toml "
                    "for the format")
    elif given_by_name and not any(g.get("fit", True) for g in given_by_name.values()):
        check.error("targets", "every target has fit = false: there is nothing to fit; set "
                    "fit = true (or leave fit out) on at least one")
    errors = [p for p in check.problems if p.is_error]
    if errors:
        raise ValueError("\n".join(str(p) for p in errors))
    return tuple(Target(name=name, **given) for name, given in given_by_name.items())
