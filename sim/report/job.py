"""A comparison (or one scenario's ensemble) from scenarios to a finished output folder.

:func:`run_job` runs the ensemble into ``out_dir`` (one file per run under ``runs/``, so an
interrupted job resumes) and then writes, each file atomically and in this order so that what
finished is kept if a later step fails::

    daily.csv.gz      the daily values, one row per scenario, run and day, one column per
                      measure (no breakdowns: those are in runs/), written while the runs
                      are summarised (one pass over the run files)
    summary.csv       one row per scenario and metric (breakdowns included): median and 90%
                      band on the last day; paired effects against the baseline with their
                      95% intervals on the last day, over the last quarter and over the
                      steady window the verdicts use; the scenario's cost per year and its
                      effect per GBP 10,000 a year; its chance of being best; its average rank
    durability.csv    (when a programme ends before the run does) effects at its end and 6
                      and 12 months later
    charts/*.png      the headline outcomes and strain measures through time, the forest
                      plot of effects, the interventions' own counts; drawn in parallel
    report.html       the report (decision card first)
    manifest.json     files and hashes, seeds, versions, git commit, times (post-processing
                      and its share of the job's time included)

It never prints; progress goes to ``on_progress`` (the ensemble's ``Progress`` per run) and
``on_stage`` (a short description of each later step).
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.atomic import atomic_file
from sim.costs import scenario_cost
from sim.metrics import CORE_METRICS, REGISTRY
from sim.params import walk_params
from sim.report import charts as charts_mod
from sim.report.community import confounded
from sim.report.decision import (
    HEADLINE_OUTCOMES,
    cost_columns,
    decide,
    durability,
    durability_windows,
    headline_outcomes,
    organiser_measures,
    people_measures,
)
from sim.report.html import ChartImage, ReportData, ScenarioInfo, render_report
from sim.report.manifest import build_manifest, now_iso, sha256_file, write_manifest
from sim.report.outputs import write_bytes_atomic, write_csv_atomic, write_text_atomic
from sim.report.units import display

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_DOC = REPO_ROOT / "docs" / "MODEL.md"
EFFECT_COLUMN_PREFIX = "effect_"
CHART_DPI = 100
DAILY_FILE = "daily.csv.gz"
DAILY_DECIMALS = 6  # daily values are rounded to this many decimals (exact ones: runs/)
CHART_WORKERS = 2  # processes drawing charts at once (fewer when the machine has fewer cores)


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
    """The Metric objects interventions add (for labels and units), by name; without their
    functions, so that they can travel to the processes that draw charts."""
    return {m.name: dataclasses.replace(m, fn=None)
            for s in scenarios for iv in s.interventions for m in _metrics_of(iv)}


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


class DailyRows:
    """Rows of daily.csv.gz as one gzip member written to ``fileobj``: scenario, replicate,
    day, then one column per measure (the union over scenarios; a measure a scenario does
    not have is left empty), values rounded to DAILY_DECIMALS decimals. Members written one
    after another make one gzip file (the header first, then each scenario's rows)."""

    def __init__(self, fileobj, columns: list[str], *, header: bool = False):
        self.columns = list(columns)
        self.n_rows = 0
        self._gz = gzip.GzipFile(fileobj=fileobj, mode="wb", compresslevel=1, mtime=0)
        if header:
            self._gz.write((",".join(["scenario", "replicate", "day", *self.columns]) + "\n")
                           .encode())

    def add(self, entry: dict, replicate: int, frame) -> None:
        from sim.ensemble.store import csv_rows

        table = frame.reindex(columns=self.columns).round(DAILY_DECIMALS)
        self._gz.write(csv_rows([entry["name"], replicate], table.index.to_numpy(),
                                table.to_numpy(dtype=np.float64)).encode())
        self.n_rows += len(table)

    def close(self) -> None:
        self._gz.close()


def scenario_part(out_dir: Path, entry: dict, steady, windows, band_metrics,
                  columns: list[str]):
    """One scenario's summary pass and its rows of daily.csv.gz (gzip bytes), in one read of
    its run files; run in the chart processes while they would otherwise wait."""
    from sim.ensemble.summary import scenario_pass

    buf = io.BytesIO()
    rows = DailyRows(buf, columns)
    stats, bands = scenario_pass(out_dir, entry, steady=steady, windows=windows,
                                 on_table=rows.add, band_metrics=band_metrics)
    rows.close()
    return stats, bands, buf.getvalue()


def summarise_and_write_daily(out_dir: Path, pool, base_slug: str, steady, windows,
                              band_metrics, summarise):
    """The summary of every run and daily.csv.gz, one scenario per task on ``pool`` (in
    this process when it has none); the daily rows are joined in plan order."""
    from sim.ensemble import store

    columns = daily_columns(out_dir)
    entries = store.read_plan(out_dir)["scenarios"]
    results = pool.map(scenario_part, [(out_dir, e, steady, windows, band_metrics, columns)
                                       for e in entries])
    passes = {}
    with atomic_file(out_dir / DAILY_FILE, "wb") as fh:
        DailyRows(fh, columns, header=True).close()
        for entry, (stats, bands, daily) in zip(entries, results, strict=True):
            passes[entry["slug"]] = (stats, bands)
            fh.write(daily)
    return summarise(out_dir, baseline=base_slug, steady=steady, windows=windows,
                     passes=passes), columns


def daily_columns(out_dir: Path) -> list[str]:
    """The measures (no breakdowns) of every scenario's runs, in order: the header of
    daily.csv.gz, read from the first intact run of each scenario."""
    from sim.ensemble import store
    from sim.ensemble.summary import present_runs

    cols: list[str] = []
    for entry in store.read_plan(out_dir)["scenarios"]:
        runs = present_runs(out_dir, entry, verify_checksum=False)
        if runs:
            with gzip.open(runs[0][1], "rt") as fh:
                header = fh.readline().strip().split(",")
            cols += [c for c in header[1:] if "[" not in c]
    return headline_metrics(cols)


# -- charts, drawn in worker processes ------------------------------------------------------


def _chart_worker_init() -> None:
    """A chart worker leaves Ctrl-C to the job (which shuts the pool down) and, on Linux,
    asks to be ended when the job's process dies, so that none outlives it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


class ChartPool:
    """Charts drawn in up to CHART_WORKERS processes, or in this process when ``workers``
    is 1 or there is one core.

    The processes are started before the runs, while this process holds little and runs no
    threads, by forking where the platform allows (they then start with the chart code
    already imported) and otherwise through a fork server; they wait idle until the charts
    are drawn."""

    def __init__(self, workers: int | None):
        n = min(CHART_WORKERS, os.cpu_count() or 1)
        self.executor = None
        if workers != 1 and n > 1:
            methods = multiprocessing.get_all_start_methods()
            if threading.active_count() > 1:  # forking a threaded process is unsafe
                methods = [m for m in methods if m != "fork"]
            method = next(m for m in ("fork", "forkserver", "spawn") if m in methods)
            ctx = multiprocessing.get_context(method)
            self.executor = ProcessPoolExecutor(max_workers=n, mp_context=ctx,
                                                initializer=_chart_worker_init)
            self._warming = [self.executor.submit(charts_mod.warm_up) for _ in range(n)]

    def map(self, fn, arg_tuples: list[tuple]) -> list:
        """``[fn(*args) for args in arg_tuples]``, in the pool when there is one."""
        if self.executor is None:
            return [fn(*args) for args in arg_tuples]
        futures = [self.executor.submit(fn, *args) for args in arg_tuples]
        return [f.result() for f in futures]

    def draw(self, jobs: list[tuple[str, dict]]) -> list[bytes]:
        return self.map(charts_mod.draw_chart, [(kind, kw, CHART_DPI) for kind, kw in jobs])

    def start_drawing(self, jobs: list[tuple[str, dict]]) -> Callable[[], list[bytes]]:
        """Start drawing ``jobs``; returns a function that waits for the PNGs (in this
        process, where there is no pool, the drawing happens then)."""
        if self.executor is None:
            return lambda: self.draw(jobs)
        futures = [self.executor.submit(charts_mod.draw_chart, kind, kw, CHART_DPI)
                   for kind, kw in jobs]
        return lambda: [f.result() for f in futures]

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


# -- tables -----------------------------------------------------------------------------------


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
        drop = {"n_pairs", "p_best", "average_rank"}
        table = table[[c for c in table.columns
                       if not c.startswith(EFFECT_COLUMN_PREFIX) and c not in drop]]
    return table


def _durability_table(rows, metrics):
    import pandas as pd

    out = []
    for r in rows:
        e = r["ending"]
        for months, eff in r["points"]:
            out.append({"scenario": e.scenario, "programme": e.programme,
                        "end_day": e.end_day, "months_after_end": months,
                        "metric": r["metric"], "label": display(r["metric"], metrics).label,
                        "effect": eff.effect if eff else np.nan,
                        "effect_lo": eff.lo if eff else np.nan,
                        "effect_hi": eff.hi if eff else np.nan,
                        "verdict": eff.verdict if eff else "after the run"})
    return pd.DataFrame(out)


def _count_parameters(model_params) -> tuple[int, int]:
    n = cal = 0
    for _, value, meta in walk_params(model_params):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            n += 1
            cal += bool(meta.get("calibrated"))
    return n, cal


def _scenario_info(s, days: int, replicates: int, n_missing: int, cost) -> ScenarioInfo:
    text = sha = None
    if s.path and Path(s.path).is_file():
        text = Path(s.path).read_text(encoding="utf-8", errors="replace")
        sha = sha256_file(s.path)
    return ScenarioInfo(s.name, s.description, s.path, sha, text, dict(s.definition),
                        intervention_windows(s, days), s.model.population.n_residents,
                        replicates, n_missing, cost)


# -- the job ----------------------------------------------------------------------------------


def run_job(scenarios: Sequence, out_dir: str | Path, *, kind: str = "compare",
            command: Sequence[str] = (), replicates: int | None = None,
            workers: int | None = None, scheduler: str | None = None, resume: bool = False,
            on_progress: Callable | None = None, on_stage: Callable[[str], None] | None = None,
            settings_note: str = "", settings: dict | None = None) -> JobResult:
    """Run the ensemble of ``scenarios`` (the first is the baseline) into ``out_dir`` and
    write every output (see the module docstring). ``kind`` is "compare" or "run".

    Raises what the ensemble raises before any run starts (a bad plan, a folder that is not
    empty); runs that fail are listed in the result and in the report, and the rest is
    summarised. Every file finished before an exception is kept. A comparison whose
    scenarios describe different communities runs (the command line refuses it unless told
    otherwise), and its report says so plainly."""
    from sim.ensemble import run_ensemble, summarise

    if kind not in ("compare", "run"):
        raise ValueError(f"kind must be 'compare' or 'run', not {kind!r}")
    stage = on_stage or (lambda _msg: None)
    out_dir = Path(out_dir)
    started, t0 = now_iso(), time.perf_counter()
    result = JobResult(out_dir, kind)

    pool = ChartPool(workers)  # idle until the charts; see ChartPool
    try:
        return _run_and_post_process(result, scenarios, kind, command, replicates, workers,
                                     scheduler, resume, on_progress, stage, settings_note,
                                     settings, started, t0, pool, run_ensemble, summarise)
    finally:
        pool.close()


def _run_and_post_process(result, scenarios, kind, command, replicates, workers, scheduler,
                          resume, on_progress, stage, settings_note, settings, started, t0,
                          pool, run_ensemble, summarise) -> JobResult:
    out_dir, timings = result.out_dir, result.timings
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
    compare = kind == "compare" and len(ordered) > 1

    t_post = time.perf_counter()
    return _post_process(result, ens, ordered, entries, base, days, n_rep, seeds, compare,
                         kind, command, started, t0, t_post, pool, stage, summarise,
                         settings_note, settings)


def _post_process(result, ens, ordered, entries, base, days, n_rep, seeds, compare, kind,
                  command, started, t0, t_post, pool, stage, summarise, settings_note,
                  settings) -> JobResult:
    out_dir, timings = result.out_dir, result.timings
    extra = intervention_metrics(ordered)
    steady = steady_window(days)
    endings = durability_windows(ordered[1:], days) if compare else []
    windows = [w for e in endings for _, w in e.windows if w]

    # one pass over the run files: summaries, bands for the charts, daily.csv.gz
    t = time.perf_counter()
    stage(f"summarising the runs and writing {DAILY_FILE}")
    present = set(daily_columns(out_dir))
    measured, _ = headline_outcomes(present)
    people = people_measures(present)
    organisers = organiser_measures(present)
    chart_metrics = list(dict.fromkeys(
        measured + people + [m for m in CORE_METRICS if m not in measured and compare is False]
        + [m.name for s in ordered for iv in s.interventions for m in _metrics_of(iv)]))
    summ, _ = summarise_and_write_daily(out_dir, pool, base.slug, steady, windows,
                                        chart_metrics, summarise)
    result.files["daily"] = out_dir / DAILY_FILE
    timings["summary_and_daily"] = time.perf_counter() - t

    # the charts need only the summary: they are drawn while the decisions are made here
    stage("drawing the charts")
    jobs, chart_meta = _chart_jobs(summ, ordered, base, days, n_rep, steady, compare,
                                   measured, people, chart_metrics, extra)
    wait_for_charts = pool.start_drawing(jobs)

    t = time.perf_counter()
    costs = {s.name: scenario_cost(s, days) for s in ordered}
    decision = None
    table = summ.summary
    if compare:
        decision = decide(summ.summary, summ.steady_values,
                          [(s.name, s.slug) for s in ordered], base.name, costs, extra)
        table = cost_columns(table, decision, costs)
    else:
        table = table.assign(cost_per_year_gbp=table["scenario"].map(
            {n: c.per_year_gbp for n, c in costs.items()}))
    result.files["summary"] = write_csv_atomic(out_dir / "summary.csv",
                                               summary_table(table, kind=kind, metrics=extra))
    lasting = durability(summ.windows, endings, measured + people + organisers, extra)
    if lasting:
        result.files["durability"] = write_csv_atomic(out_dir / "durability.csv",
                                                      _durability_table(lasting, extra))
    timings["decisions"] = time.perf_counter() - t

    t = time.perf_counter()
    images, effects_chart = _write_charts(out_dir, chart_meta, wait_for_charts())
    result.files["charts"] = out_dir / "charts"
    timings["charts"] = time.perf_counter() - t  # beyond the decisions, drawn meanwhile

    problems = [f"{k.scenario}, run {k.replicate + 1} (seed {k.seed}) did not finish"
                for k in result.missing]
    for f in result.failed:
        problems.append(f"{f.scenario}, run {f.replicate + 1} (seed {f.seed}) failed: "
                        f"{f.error}")
    if problems:
        problems.append(f"Resume with: python run.py {kind} ... --resume {out_dir}")

    different = confounded(ordered) if compare else {}
    n_missing = {e["name"]: sum(k.slug == e["slug"] for k in result.missing) for e in entries}
    outputs = ["report.html", "summary.csv", DAILY_FILE, "charts/", "manifest.json"] + (
        ["durability.csv"] if lasting else [])
    manifest_extra = {"runs": {"completed": len(ens.completed),
                               "skipped_on_resume": ens.n_skipped,
                               "failed": [f.to_json() for f in result.failed]},
                      "python_executable": sys.executable,
                      "steady_window_days": list(steady),
                      "costs_per_year_gbp": {n: round(c.per_year_gbp, 2)
                                             for n, c in costs.items()},
                      "different_community": different}

    def manifest(finished):
        return build_manifest(
            command=list(command), kind=kind, scenarios=ordered,
            baseline=base.name if kind == "compare" else None,
            seeds={"root_seed": entries[0]["root_seed"], "replicate_seeds": seeds},
            started=started, finished=finished, timings=timings,
            settings=settings or {"days": days, "replicates": n_rep, "residents": {
                s.name: s.model.population.n_residents for s in ordered}}, outputs=outputs,
            missing=[{"scenario": k.scenario, "replicate": k.replicate, "seed": k.seed}
                     for k in result.missing], extra=manifest_extra)

    t = time.perf_counter()
    stage("writing report.html")
    n_par, n_cal = _count_parameters(base.model)
    doc_href = (os.path.relpath(MODEL_DOC, out_dir.resolve()) if MODEL_DOC.exists()
                else "https://github.com/search?q=kindliness-sim+MODEL.md")
    _timing_totals(timings, t0, t_post)
    data = ReportData(
        kind=kind,
        title=(f"Comparing {len(ordered) - 1} option{'s' if len(ordered) > 2 else ''} "
               f"with {base.name}" if kind == "compare" else f"Scenario: {base.name}"),
        scenarios=[_scenario_info(s, days, e["replicates"], n_missing.get(s.name, 0),
                                  costs[s.name])
                   for s, e in zip(ordered, entries, strict=True)],
        baseline=base.name if kind == "compare" else None, summary=table,
        days=days, replicates=n_rep, root_seed=entries[0]["root_seed"], seeds=seeds,
        charts=images, effects_chart=effects_chart, manifest=manifest(now_iso()),
        model_doc_href=doc_href, n_parameters=n_par, n_calibrated=n_cal, problems=problems,
        metrics=extra, settings_note=settings_note, steady=steady, decision=decision,
        durability=lasting, different_community=different,
        late_starts=late_starts(ordered[1:], steady) if compare else [])
    result.files["report"] = write_text_atomic(out_dir / "report.html", render_report(data))
    timings["report"] = time.perf_counter() - t
    _timing_totals(timings, t0, t_post)
    result.files["manifest"] = write_manifest(out_dir / "manifest.json", manifest(now_iso()))
    return result


def _timing_totals(timings: dict, t0: float, t_post: float) -> None:
    """post_processing (everything after the runs) and its share of the job's time."""
    now = time.perf_counter()
    timings["post_processing"] = now - t_post
    timings["total"] = now - t0
    timings["post_processing_share"] = timings["post_processing"] / max(timings["total"], 1e-9)


def _chart_jobs(summ, ordered, base, days, n_rep, steady, compare, measured, people,
                chart_metrics, extra):
    """The charts to draw: (plot function, arguments) and (file stem, title, alt text)."""
    windows = {s.name: intervention_windows(s, days) for s in ordered}
    names = [s.name for s in ordered]
    bands = summ.bands
    jobs, meta = [], []
    if compare:
        eff = summ.summary.rename(columns={"effect_steady": "effect",
                                           "effect_steady_lo": "effect_lo",
                                           "effect_steady_hi": "effect_hi"})
        eff = eff[(eff["scenario"] != base.name) & eff["metric"].isin(measured + people)]
        eff = eff.dropna(subset=["effect"])[["scenario", "metric", "effect", "effect_lo",
                                             "effect_hi"]]
        if not eff.empty:
            from sim.report.words import months_words

            jobs.append(("plot_effects", {
                "effects": eff, "metrics_order": measured + people, "scenarios": names,
                "baseline": base.name, "at": f"over {months_words(*steady)}",
                "metrics": extra}))
            meta.append(("effects", "Effects against the baseline",
                         "Forest plot: each option's effect on the headline outcomes and on "
                         "strain, with 95% intervals, over the steady window"))
    own = {m.name for s in ordered for iv in s.interventions for m in _metrics_of(iv)}
    for m in [c for c in chart_metrics if c not in own]:
        rows = bands[bands["metric"] == m]
        if rows.empty:
            continue
        jobs.append(("plot_metric", {
            "bands": rows, "metric": m, "scenarios": names,
            "baseline": base.name if compare else None, "windows": windows, "metrics": extra,
            "n_runs": n_rep, "steady": steady if compare else None}))
        d = display(m, extra)
        meta.append((m, d.label, f"{d.label} over {days:,} days: weekly averages of the median "
                     "and the 90% band per scenario"))
    per_scenario = {s.name: [m.name for iv in s.interventions for m in _metrics_of(iv)]
                    for s in ordered}
    if any(per_scenario.values()):
        jobs.append(("plot_intervention_counts", {
            "bands": bands[bands["metric"].isin(own)], "per_scenario": per_scenario,
            "metrics": extra, "windows": windows, "n_runs": n_rep}))
        meta.append(("interventions", "What the interventions did",
                     "Each intervention's own counts through time"))
    return jobs, meta


def _write_charts(out_dir: Path, meta, pngs):
    """Write each PNG atomically; return the report's ChartImages and the forest plot's."""
    charts_dir = out_dir / "charts"
    charts_dir.mkdir(exist_ok=True)
    images, effects_chart = [], None
    for (stem, title, alt), png in zip(meta, pngs, strict=True):
        path = write_bytes_atomic(charts_dir / f"{stem}.png", png)
        chart = ChartImage(title, png, alt, file=f"charts/{path.name}")
        if stem == "effects":
            effects_chart = chart
        else:
            images.append(chart)
    return images, effects_chart


__all__ = ["HEADLINE_OUTCOMES", "JobResult", "headline_metrics", "run_job", "steady_window"]
