"""Write a calibration's results: the fitted scenario file, the target table, a chart, and
(on request) the fitted values into scenarios/baseline.toml."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path

import numpy as np

from sim.calibration.fit import CalibrationResult, with_values
from sim.params import ModelParams
from sim.scenario.merging import shipped_extends

BASELINE_TOML = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
SHIPPED_TARGETS = "data/calibration_targets.toml"  # as the comment names it (no --targets)
_DIGITS = 4  # fitted values are rounded to 4 significant figures for the files


def rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: float(f"{v:.{_DIGITS}g}") for k, v in values.items()}


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def scenario_toml(result: CalibrationResult, out_path: Path,
                  baseline: Path = BASELINE_TOML, params: ModelParams | None = None,
                  targets: str | Path | None = None) -> str:
    """A scenario file that extends the baseline and sets the fitted values. Sections are a
    list, which a child file replaces whole, so every section is written out in full. Its
    first comment names the targets fitted to: ``targets`` as the user gave it, or the
    shipped data/calibration_targets.toml.

    The shipped baseline is named by the rule of every file the project writes
    (sim.scenario.merging.shipped_extends): relative from a results folder inside the
    project, absolute from one outside it (``--out /tmp/x`` wrote
    "../../../../work/<project>/scenarios/baseline.toml", which broke whichever moved)."""
    values = rounded(result.values)
    fitted = with_values(params or ModelParams(), values)
    folder = Path(out_path).parent
    if Path(os.path.realpath(baseline)) == Path(os.path.realpath(BASELINE_TOML)):
        rel = shipped_extends(folder)
    else:  # a test's or a copy's baseline: beside the project's rule, relative to the file
        rel = Path(os.path.relpath(baseline, folder)).as_posix()
    lines = [
        "# Baseline with parameters fitted by `python run.py calibrate` to",
        f"# {targets or SHIPPED_TARGETS} (method and results: docs/CALIBRATION.md).",
        f"# Objective {result.start_loss:.2f} before, {result.loss:.2f} after.",
        'name = "Baseline (calibrated)"',
        'description = "The baseline with its calibrated parameters fitted to UK survey '
        'figures."',
        f"extends = {_toml(rel)}",
        "",
    ]
    for table in ("network", "rules", "population"):
        keys = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith(table + ".")}
        if keys:
            lines.append(f"[{table}]")
            lines += [f"{k} = {_toml(v)}" for k, v in keys.items()]
            lines.append("")
    for s in fitted.population.sections:
        lines.append("[[population.sections]]")
        lines += [f"{f.name} = {_toml(getattr(s, f.name))}" for f in dataclasses.fields(s)]
        lines.append("")
    return "\n".join(lines)


def update_baseline_toml(values: dict[str, float], path: Path = BASELINE_TOML) -> list[str]:
    """Set the fitted values in an existing scenario file in place, keeping its comments;
    returns the keys changed. Only lines of the form ``name = <number>`` are touched."""
    text = Path(path).read_text()
    changed = []
    for dotted, value in rounded(values).items():
        name = dotted.split(".", 1)[1]
        pattern = re.compile(rf"^({re.escape(name)} = )[-+0-9.eE]+$", re.MULTILINE)
        text, n = pattern.subn(lambda m, v=value: m.group(1) + repr(v), text)
        if n == 0:
            raise KeyError(f"{path}: no line '{name} = <number>' to update")
        changed.append(dotted)
    from sim.report.outputs import write_text_atomic

    write_text_atomic(Path(path), text)  # a failure part-way leaves the file as it was
    return changed


# what a survey metric is a share of, where it is not of residents (its doc says "Share of
# residents ..." otherwise): each row of targets.png says it under the target's name
SHARE_OF = {"help_concentration": "share of help given",
            "helper_strain": "share of the most active helpers"}


def share_of(metric: str) -> str:
    """What the survey metric ``metric`` is a share of, in words ("share of residents")."""
    return SHARE_OF.get(metric, "share of residents")


def plot_targets(result: CalibrationResult):
    """Target band (survey figure +/- tolerance) against the simulated mean with its 95%
    interval over fresh seeds, one row per target, each saying what it is a share of (not
    all are of residents: help_concentration is a share of help). Returns the figure."""
    import matplotlib.pyplot as plt

    checks = result.checks
    fig, ax = plt.subplots(figsize=(7.5, 0.75 * len(checks) + 1.5))  # three lines below
    y = np.arange(len(checks))[::-1]
    for yi, c in zip(y, checks, strict=True):
        lo, hi = c.target.interval
        ax.add_patch(plt.Rectangle((lo, yi - 0.3), hi - lo, 0.6, color="#cfe3f3", lw=0))
        ax.plot([c.target.value] * 2, [yi - 0.3, yi + 0.3], color="#0072B2", lw=1.5)
        colour = "#009E73" if c.within else "#D55E00"
        ax.errorbar(c.mean, yi, xerr=[[c.mean - c.lo], [c.hi - c.mean]], fmt="o",
                    color=colour, capsize=3)
    ax.set_yticks(y, [c.target.name + ("" if c.target.fit else " (not fitted)")
                      + f"\n{share_of(c.target.metric)}" for c in checks])
    ax.set_xlim(0, 1)
    # the dot's colours said (a user check: an orange dot, unexplained)
    ax.set_xlabel("share, 0 to 1, of what each row says\n(survey: blue line and band = "
                  "tolerance; model: dot, 95% interval;\ngreen: within the band, orange: "
                  "outside it)")
    ax.set_title("Calibrated baseline against UK survey figures")
    fig.tight_layout()
    return fig


def summary_text(result: CalibrationResult) -> str:
    """Plain-text report of a calibration (the CLI prints it)."""
    rows = [f"objective: {result.start_loss:.2f} (start) -> {result.loss:.2f} (fitted)",
            "", "fitted parameters:"]
    for k, v in rounded(result.values).items():
        rows.append(f"  {k:32s} {result.start[k]:>9.4g} -> {v:<9.4g}")
    for size, checks in sorted(result.checks_by_size.items()):
        rows += ["", f"{size:,} residents, fresh seeds:",
                 f"{'target':20s} {'survey':>7s} {'tol':>6s} {'model':>7s} "
                 f"{'95% interval':>16s}  within"]
        for c in checks:
            note = "" if c.target.fit else "  (not fitted)"
            rows.append(f"{c.target.name:20s} {c.target.value:7.3f} {c.target.tolerance:6.3f} "
                        f"{c.mean:7.3f} [{c.lo:6.3f}, {c.hi:6.3f}]  "
                        f"{'yes' if c.within else 'NO'}{note}")
    return "\n".join(rows)


BASELINE_BEFORE = "baseline-before.toml"  # the baseline as it was, kept beside the results


def write_results(result: CalibrationResult, out_dir: Path, *, update_baseline: bool = False,
                  baseline: Path = BASELINE_TOML,
                  targets: str | Path | None = None) -> dict[str, Path]:
    """Write calibrated.toml, targets.csv, calibration.json and targets.png into ``out_dir``
    (atomically); with ``update_baseline``, and only when every target is within its
    tolerance on fresh seeds, set the fitted values in ``baseline``, keeping the file as it
    was in ``out_dir`` (BASELINE_BEFORE) first. A fit that misses a target leaves the
    baseline alone (``paths`` then has no "baseline")."""
    from sim.report.outputs import write_csv_atomic, write_figure_atomic, write_text_atomic

    out_dir = Path(out_dir)
    paths = {
        "scenario": write_text_atomic(out_dir / "calibrated.toml",
                                      scenario_toml(result, out_dir / "calibrated.toml",
                                                    baseline, targets=targets)),
        "table": write_csv_atomic(out_dir / "targets.csv", result.table()),
        "json": write_text_atomic(out_dir / "calibration.json", json.dumps({
            "values": result.values, "start": result.start, "loss": result.loss,
            "start_loss": result.start_loss, "settings": result.settings,
            "evaluations": [{"values": v, "loss": loss} for v, loss in result.evaluations],
        }, indent=1)),
        "chart": write_figure_atomic(out_dir / "targets.png", plot_targets(result)),
    }
    if update_baseline and result.all_within:
        paths["before"] = write_text_atomic(out_dir / BASELINE_BEFORE, Path(baseline).read_text())
        update_baseline_toml(result.values, baseline)
        paths["baseline"] = Path(baseline)
    return paths
