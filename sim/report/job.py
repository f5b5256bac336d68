"""A comparison (or one scenario's ensemble) from scenarios to a finished output folder.

:func:`run_job` runs the ensemble into ``out_dir`` (one file per run under ``runs/``, so an
interrupted job resumes) and then writes, each file atomically and in this order so that what
finished is kept if a later step fails::

    summary.csv       one row per scenario and metric (breakdowns included): median and 90%
                      band on the last day, paired effect vs baseline with its 95% interval
                      (on the last day and over the last quarter); no effect columns for a run
    daily.csv         tidy daily values: scenario, replicate, day, metric, value (the headline
                      metrics; breakdowns by orientation and section stay in runs/)
    charts/*.png      one chart per metric through time, and effects.png when comparing
    manifest.json     files and hashes, seeds, versions, git commit, times
    report.html       the self-contained report

It never prints; progress goes to ``on_progress`` (the ensemble's ``Progress`` per run) and
``on_stage`` (a short description of each later step).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim.metrics import CORE_METRICS, REGISTRY
from sim.params import walk_params
from sim.report import charts as charts_mod
from sim.report.html import ChartImage, ReportData, ScenarioInfo, render_report
from sim.report.manifest import build_manifest, now_iso, sha256_file, write_manifest
from sim.report.outputs import write_csv_atomic, write_text_atomic
from sim.report.units import display

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_DOC = REPO_ROOT / "docs" / "MODEL.md"
EFFECT_COLUMN_PREFIX = "effect_"
CHART_DPI = 100


@dataclass
class JobResult:
    out_dir: Path
    kind: str
    files: dict[str, Path] = field(default_factory=dict)  # "report", "summary", ...
    failed: list = field(default_factory=list)  # sim.ensemble.RunFailure
    missing: list = field(default_factory=list)  # sim.ensemble.RunKey
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def report(self) -> Path | None:
        return self.files.get("report")

    @property
    def ok(self) -> bool:
        return not self.missing and not self.failed


def headline_metrics(columns) -> list[str]:
    """Metric names without breakdowns, the core metrics first, then the registry's others,
    then any others (interventions' own), in their order of appearance."""
    names = list(dict.fromkeys(c for c in columns if "[" not in c))
    present = set(names)
    first = [m for m in CORE_METRICS if m in present]
    registry = [m for m in REGISTRY if m in present and m not in first]
    rest = [m for m in names if m not in first and m not in registry]
    return first + registry + rest


def _metrics_of(iv) -> list:
    try:
        return list(iv.metrics())
    except Exception:  # noqa: BLE001 - a label lookup must not sink the report
        return []


def intervention_metrics(scenarios) -> dict:
    """The Metric objects interventions add (for labels and units), by name."""
    return {m.name: m for s in scenarios for iv in s.interventions for m in _metrics_of(iv)}


def intervention_windows(scenario, days: int) -> list[tuple[str, int, int]]:
    return [(getattr(iv, "label", type(iv).__name__), *iv.window(days))
            for iv in scenario.interventions]


def write_daily_csv(out_dir: Path, path: Path, metrics: Sequence[str]) -> int:
    """The tidy daily table of the headline ``metrics`` (no breakdowns: those are in
    summary.csv and the run files), streamed one run file at a time. The job's own folder:
    a resumed job rewrites it from the completed set of runs."""
    from sim.ensemble import write_daily_csv as write_tidy

    return write_tidy(out_dir, path, metrics=metrics, breakdowns=False, overwrite=True)


def summary_table(summary, *, kind: str, metrics: dict):
    """summary.csv's table: the ensemble's summary with a plain label and unit per metric;
    effect columns only when comparing."""
    table = summary.copy()
    base = [m.split("[", 1)[0] for m in table["metric"]]
    table.insert(table.columns.get_loc("metric") + 1, "label",
                 [display(b, metrics).label + (m[len(b):] if m != b else "")
                  for m, b in zip(table["metric"], base, strict=True)])
    table.insert(table.columns.get_loc("label") + 1, "unit",
                 [(metrics.get(b) or REGISTRY.get(b)).unit if (metrics.get(b) or
                                                              REGISTRY.get(b)) else ""
                  for b in base])
    if kind != "compare":
        table = table[[c for c in table.columns
                       if not c.startswith(EFFECT_COLUMN_PREFIX) and c != "n_pairs"]]
    return table


def _count_parameters(model_params) -> tuple[int, int]:
    n = cal = 0
    for _, value, meta in walk_params(model_params):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            n += 1
            cal += bool(meta.get("calibrated"))
    return n, cal


def _scenario_info(s, days: int, replicates: int, n_missing: int) -> ScenarioInfo:
    text = sha = None
    if s.path and Path(s.path).is_file():
        text = Path(s.path).read_text(encoding="utf-8", errors="replace")
        sha = sha256_file(s.path)
    return ScenarioInfo(s.name, s.description, s.path, sha, text, dict(s.definition),
                        intervention_windows(s, days), s.model.population.n_residents,
                        replicates, n_missing)


def run_job(scenarios: Sequence, out_dir: str | Path, *, kind: str = "compare",
            command: Sequence[str] = (), replicates: int | None = None,
            workers: int | None = None, scheduler: str | None = None, resume: bool = False,
            on_progress: Callable | None = None, on_stage: Callable[[str], None] | None = None,
            settings_note: str = "", settings: dict | None = None) -> JobResult:
    """Run the ensemble of ``scenarios`` (the first is the baseline) into ``out_dir`` and
    write every output (see the module docstring). ``kind`` is "compare" or "run".

    Raises what the ensemble raises before any run starts (a bad plan, a folder that is not
    empty); runs that fail are listed in the result and in the report, and the rest is
    summarised. Every file finished before an exception is kept."""
    from sim.ensemble import run_ensemble, summarise

    if kind not in ("compare", "run"):
        raise ValueError(f"kind must be 'compare' or 'run', not {kind!r}")
    stage = on_stage or (lambda _msg: None)
    out_dir = Path(out_dir)
    started, t0 = now_iso(), time.perf_counter()
    result = JobResult(out_dir, kind)
    timings = result.timings

    ens = run_ensemble(list(scenarios), out_dir, replicates=replicates, workers=workers,
                       scheduler=scheduler, resume=resume, on_progress=on_progress)
    timings["runs"] = time.perf_counter() - t0
    result.failed, result.missing = list(ens.failed), list(ens.missing)
    entries = ens.plan["scenarios"]
    base = scenarios[0]
    days = entries[0]["days"]
    n_rep = max(e["replicates"] for e in entries)
    seeds = entries[0]["seeds"]
    by_slug = {s.slug: s for s in scenarios}
    ordered = [by_slug[e["slug"]] for e in entries]
    if not ens.completed:
        raise RuntimeError("every run failed; nothing to summarise (see runs/*.error.json)")

    t = time.perf_counter()
    stage("summarising the runs")
    summ = summarise(out_dir, baseline=base.slug)
    extra = intervention_metrics(scenarios)
    result.files["summary"] = write_csv_atomic(out_dir / "summary.csv",
                                               summary_table(summ.summary, kind=kind,
                                                             metrics=extra))
    timings["summary"] = time.perf_counter() - t

    t = time.perf_counter()
    stage("writing daily.csv")
    heads = headline_metrics(summ.summary["metric"])
    write_daily_csv(out_dir, out_dir / "daily.csv", heads)
    result.files["daily"] = out_dir / "daily.csv"
    timings["daily_csv"] = time.perf_counter() - t

    t = time.perf_counter()
    stage("drawing the charts")
    charts_dir = out_dir / "charts"
    charts_dir.mkdir(exist_ok=True)
    windows = {s.name: intervention_windows(s, days) for s in ordered}
    names = [s.name for s in ordered]
    bands = summ.bands[summ.bands["metric"].isin(heads)]
    import matplotlib.pyplot as plt

    effects_chart = None
    if kind == "compare" and len(ordered) > 1:
        eff = summ.summary.rename(columns={"effect_end": "effect", "effect_end_lo": "effect_lo",
                                           "effect_end_hi": "effect_hi"})
        eff = eff[eff["scenario"] != base.name].dropna(subset=["effect"])
        if not eff.empty:
            fig = charts_mod.plot_effects(eff, list(CORE_METRICS), scenarios=names,
                                          baseline=base.name, at=f"on day {days}",
                                          metrics=extra)
            path = write_figure(fig, charts_dir / "effects.png")
            plt.close(fig)
            effects_chart = ChartImage(
                "Effects against the baseline", path.read_bytes(),
                f"Forest plot of each scenario's effect on the core measures on day {days}, "
                "with 95% intervals", file="charts/effects.png")
    images = []
    iv_names = set(extra)
    for m in heads:
        if m in iv_names or bands[bands["metric"] == m].empty:
            continue
        fig = charts_mod.plot_metric(bands, m, scenarios=names,
                                     baseline=base.name if kind == "compare" else None,
                                     windows=windows, metrics=extra, n_runs=n_rep)
        path = write_figure(fig, charts_dir / f"{m}.png")
        plt.close(fig)
        d = display(m, extra)
        images.append(ChartImage(d.label, path.read_bytes(),
                                 f"{d.label} over {days} days: median and 90% band per "
                                 "scenario", file=f"charts/{m}.png"))
    per_scenario = {s.name: [m.name for iv in s.interventions for m in _metrics_of(iv)]
                    for s in ordered}
    if any(per_scenario.values()):
        fig = charts_mod.plot_intervention_counts(bands, per_scenario, metrics=extra,
                                                  windows=windows, n_runs=n_rep)
        path = write_figure(fig, charts_dir / "interventions.png")
        plt.close(fig)
        images.append(ChartImage("What the interventions did", path.read_bytes(),
                                 "Each intervention's own counts through time",
                                 file="charts/interventions.png"))
    result.files["charts"] = charts_dir
    timings["charts"] = time.perf_counter() - t

    problems = [f"{k.scenario}, run {k.replicate + 1} (seed {k.seed}) did not finish"
                for k in result.missing]
    for f in result.failed:
        problems.append(f"{f.scenario}, run {f.replicate + 1} (seed {f.seed}) failed: "
                        f"{f.error}")
    if problems:
        problems.append(f"Resume with: python run.py {kind} ... --resume {out_dir}")

    finished = now_iso()
    timings["total"] = time.perf_counter() - t0
    n_missing = {e["name"]: sum(k.slug == e["slug"] for k in result.missing) for e in entries}
    outputs = ["summary.csv", "daily.csv", "charts/", "manifest.json", "report.html"]
    manifest = build_manifest(
        command=list(command), kind=kind, scenarios=ordered,
        baseline=base.name if kind == "compare" else None,
        seeds={"root_seed": entries[0]["root_seed"], "replicate_seeds": seeds},
        started=started, finished=finished, timings=timings,
        settings=settings or {"days": days, "replicates": n_rep}, outputs=outputs,
        missing=[{"scenario": k.scenario, "replicate": k.replicate, "seed": k.seed}
                 for k in result.missing],
        extra={"runs": {"completed": len(ens.completed), "skipped_on_resume": ens.n_skipped,
                        "failed": [f.to_json() for f in result.failed]},
               "python_executable": sys.executable})
    result.files["manifest"] = write_manifest(out_dir / "manifest.json", manifest)

    stage("writing report.html")
    n_par, n_cal = _count_parameters(base.model)
    doc_href = (os.path.relpath(MODEL_DOC, out_dir.resolve()) if MODEL_DOC.exists()
                else "https://github.com/search?q=kindliness-sim+MODEL.md")
    data = ReportData(
        kind=kind,
        title=(f"Comparing {len(ordered) - 1} scenario{'s' if len(ordered) > 2 else ''} "
               f"with {base.name}" if kind == "compare" else f"Scenario: {base.name}"),
        scenarios=[_scenario_info(s, days, e["replicates"], n_missing.get(s.name, 0))
                   for s, e in zip(ordered, entries, strict=True)],
        baseline=base.name if kind == "compare" else None, summary=summ.summary,
        days=days, replicates=n_rep, root_seed=entries[0]["root_seed"], seeds=seeds,
        charts=images, effects_chart=effects_chart, manifest=manifest,
        model_doc_href=doc_href, n_parameters=n_par, n_calibrated=n_cal, problems=problems,
        metrics=extra, settings_note=settings_note)
    result.files["report"] = write_text_atomic(out_dir / "report.html", render_report(data))
    return result


def write_figure(fig, path: Path) -> Path:
    from sim.report.outputs import write_figure_atomic

    return write_figure_atomic(path, fig, dpi=CHART_DPI)
