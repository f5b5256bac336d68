"""A comparison (or one scenario's ensemble) from scenarios to a finished output folder.

Two steps, which the command line composes (and :func:`run_job` for the visualiser and
tests): :func:`run_scenarios` runs the ensemble into ``out_dir`` (one file per run under
``runs/``, so an interrupted job resumes); :func:`write_outputs` then writes, each file
atomically and in this order so that what finished is kept if a later step fails::

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
``on_stage`` (a short description of each later step); an exception raised in a step
names it (:func:`failed_step`: "writing report.html"). The pieces are in their own modules:
sim/report/daily.py (the one pass over the run files), sim/report/chart_jobs.py (the charts
and the processes drawing them), sim/report/tables.py (summary.csv, durability.csv),
sim/report/programmes.py (what the interventions add).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from sim.costs import scenario_cost
from sim.ensemble.executors import raise_lost_ctrl_c
from sim.ensemble.runner import alike_earlier, alike_words
from sim.metrics import CORE_METRICS
from sim.params import walk_params
from sim.report.chart_jobs import ChartPool, chart_jobs, preload_charts, write_charts
from sim.report.community import (
    confounded,
    file_residents,
    not_applicable,
    sizes_set_aside,
)
from sim.report.daily import DAILY_FILE, daily_columns, summarise_and_write_daily
from sim.report.decision import (
    cost_columns,
    decide,
    headline_outcomes,
    in_ranking_order,
    losses,
    organiser_measures,
    people_measures,
    saved_per_year,
)
from sim.report.durability import durability, durability_windows
from sim.report.html import render_report
from sim.report.manifest import (
    MANIFEST_FILE,
    build_manifest,
    earlier_sessions,
    now_iso,
    sha256_file,
    write_manifest,
)
from sim.report.outputs import write_csv_atomic, write_text_atomic
from sim.report.page import ReportData, ScenarioInfo
from sim.report.programmes import (
    early_ends,
    intervention_metrics,
    intervention_windows,
    late_options,
    late_starts,
    metrics_of,
    scenario_metrics,
    steady_window,
    targeting_words,
)
from sim.report.tables import durability_table, summary_table

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_DOC = REPO_ROOT / "docs" / "MODEL.md"


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



@dataclass
class Runs:
    """What the runs of a job leave for its outputs: the ensemble's result (plan, completed,
    failed and missing runs), the scenarios in plan order (the baseline first), and this
    session's start (clock and wall time) and timings so far; for a resume, the job's
    sessions before it (sim.report.manifest.earlier_sessions)."""

    out_dir: Path
    ensemble: object  # sim.ensemble.EnsembleResult
    scenarios: list
    started: str
    t0: float
    timings: dict[str, float]
    earlier: list[dict] = field(default_factory=list)

    @property
    def entries(self) -> list[dict]:
        return self.ensemble.plan["scenarios"]


def count_parameters(model_params) -> tuple[int, int, int]:
    """(numeric settings, those calibrated, the calibrated parameters they hold): a value
    set alike in each section (trust in one's own group) is one parameter, as calibration
    fits it (docs/CALIBRATION.md: eight parameters; a user check read "12 are marked as
    calibrated" beside it)."""
    n = cal = 0
    names = set()
    for path, value, meta in walk_params(model_params):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            n += 1
            if meta.get("calibrated"):
                cal += 1
                names.add(re.sub(r"\[\d+\]", "[]", path))
    return n, cal, len(names)


def _scenario_info(s, days: int, replicates: int, n_missing: int, cost) -> ScenarioInfo:
    text = sha = None
    if s.path and Path(s.path).is_file():
        text = Path(s.path).read_text(encoding="utf-8", errors="replace")
        sha = sha256_file(s.path)
    return ScenarioInfo(s.name, s.description, s.path, sha, text, _as_run(s, days, replicates),
                        intervention_windows(s, days), s.model.population.n_residents,
                        replicates, n_missing, cost,
                        [targeting_words(iv) for iv in s.interventions])


def _as_run(s, days: int, replicates: int) -> dict:
    """The scenario's merged definition with the settings its runs used: the command line's
    --days, --replicates, --seed and --residents replace the file's (a user read the file's
    1,000 residents and 730 days under "the full definition the simulation used")."""
    out = dict(s.definition)
    out["run"] = {**out.get("run", {}), "days": int(days), "replicates": int(replicates),
                  "seed": int(s.run.seed)}
    out["population"] = {**out.get("population", {}),
                         "n_residents": int(s.model.population.n_residents)}
    return out


# the output steps' words, in the progress lines and in the message of a step that failed
SUMMARY_STEP = f"summarising the runs and writing {DAILY_FILE}"
# a job of many runs says how its summary goes, a scenario at a time, once this long has
# passed since it last said anything (a user check: thousands of runs summarised for minutes
# under one line); a quick one says nothing more
SUMMARY_LINE_EVERY_S = 60.0
CHARTS_STEP = "drawing the charts"

# -- the job ----------------------------------------------------------------------------------


def run_job(scenarios: Sequence, out_dir: str | Path, *, kind: str = "compare",
            command: Sequence[str] = (), replicates: int | None = None,
            workers: int | None = None, scheduler: str | None = None, resume: bool = False,
            on_progress: Callable | None = None, on_stage: Callable[[str], None] | None = None,
            settings_note: str = "", settings: dict | None = None) -> JobResult:
    """Run the ensemble of ``scenarios`` (the first is the baseline) into ``out_dir`` and
    write every output (see the module docstring): :func:`run_scenarios`, then
    :func:`write_outputs`, with the chart processes started once the runs' pool is gone (both
    are forked from this process where it can: see ChartPool)."""
    check_kind(kind)
    runs = run_scenarios(scenarios, out_dir, replicates=replicates, workers=workers,
                         scheduler=scheduler, resume=resume, on_progress=on_progress)
    with ChartPool(workers) as pool:  # idle until the charts; see ChartPool
        return write_outputs(runs, pool, kind=kind, command=command, on_stage=on_stage,
                             settings_note=settings_note, settings=settings)


def check_kind(kind: str) -> None:
    """A job is a comparison ("compare") or one scenario's ensemble ("run")."""
    if kind not in ("compare", "run"):
        raise ValueError(f"kind must be 'compare' or 'run', not {kind!r}")


def run_scenarios(scenarios: Sequence, out_dir: str | Path, *, replicates: int | None = None,
                  workers: int | None = None, scheduler: str | None = None,
                  resume: bool = False, on_progress: Callable | None = None,
                  on_cluster_compile: Callable | None = None) -> Runs:
    """Run the ensemble of ``scenarios`` (the first is the baseline) into ``out_dir``.

    Raises what the ensemble raises before any run starts (a bad plan, a folder that is not
    empty), and RuntimeError when every run failed; runs that fail are otherwise listed in
    the result, and the rest is summarised by :func:`write_outputs`."""
    from sim.ensemble import run_ensemble

    out_dir = Path(out_dir)
    started, t0 = now_iso(), time.perf_counter()
    # read before anything is written: the manifest of the outputs a resume replaces
    earlier = earlier_sessions(out_dir) if resume else []
    ens = run_ensemble(list(scenarios), out_dir, replicates=replicates, workers=workers,
                       scheduler=scheduler, resume=resume,
                       on_progress=_charts_loaded_meanwhile(on_progress),
                       on_cluster_compile=on_cluster_compile)
    timings = {"runs": time.perf_counter() - t0}
    by_slug = {s.slug: s for s in scenarios}
    ordered = [by_slug[e["slug"]] for e in ens.plan["scenarios"]]
    if not ens.completed:
        raise RuntimeError("every run failed; nothing to summarise (see runs/*.error.json)")
    return Runs(out_dir, ens, ordered, started, t0, timings, earlier)


def _charts_loaded_meanwhile(on_progress: Callable | None) -> Callable:
    """``on_progress``, which also loads the chart code when the first run is back: while
    the workers run, not before them (sim.report.chart_jobs.preload_charts)."""
    def progress(p) -> None:
        if p.status != "start":
            preload_charts()
        if on_progress is not None:
            on_progress(p)
    return progress


@dataclass
class _Job:
    """The facts every output step shares."""

    runs: Runs
    result: JobResult
    kind: str
    compare: bool
    days: int
    n_rep: int
    steady: tuple[int, int]
    extra: dict  # the interventions' own Metric objects, by name
    t_post: float
    endings: list = field(default_factory=list)  # programmes' ends (durability windows)
    # measures that cannot move in this community (between groups, where it has one): no
    # chart, verdict or durability row, and said as not measured in the report
    not_applicable: frozenset = frozenset()
    # each scenario's own interventions' Metric objects, by scenario: its rows' labels
    own_metrics: dict = field(default_factory=dict)

    @property
    def base(self):
        return self.runs.scenarios[0]


def write_outputs(runs: Runs, pool: ChartPool, *, kind: str = "compare",
                  command: Sequence[str] = (), on_stage: Callable[[str], None] | None = None,
                  settings_note: str = "", settings: dict | None = None) -> JobResult:
    """Every output of a job whose runs are done (see the module docstring), in order, the
    charts drawn by ``pool``; ``kind`` is "compare" or "run". Every file finished before an
    exception is kept. A comparison whose scenarios describe different communities is
    written (the command line refuses it unless told otherwise), and its report says so
    plainly."""
    check_kind(kind)
    stage = _stages(on_stage)
    ordered, entries = runs.scenarios, runs.entries
    result = JobResult(runs.out_dir, kind, timings=runs.timings)
    result.failed, result.missing = list(runs.ensemble.failed), list(runs.ensemble.missing)
    days = entries[0]["days"]
    job = _Job(runs, result, kind, kind == "compare" and len(ordered) > 1, days,
               max(e["replicates"] for e in entries), steady_window(days),
               intervention_metrics(ordered), time.perf_counter(),
               not_applicable=not_applicable(ordered), own_metrics=scenario_metrics(ordered))
    with _step(SUMMARY_STEP):
        summ, measured, people, organisers, chart_metrics = _summarise(job, pool, stage)

    # the charts need the summary and the ranking, which orders their options as it orders
    # every table's (a fifth of a second for the main job's); they are drawn while the
    # rest of the decisions (summary.csv, durability.csv) are made here
    stage(CHARTS_STEP)
    t = time.perf_counter()
    costs, decision = _rank(job, summ)
    with _step(CHARTS_STEP):
        jobs, chart_meta = chart_jobs(
            summ, in_ranking_order(ordered, job.base.name, decision), job.base, days,
            job.n_rep, job.steady, job.compare, measured, people, chart_metrics, job.extra)
        wait_for_charts = pool.start_drawing(jobs)
    table, lasting = _tables(job, summ, costs, decision, measured + people + organisers)
    result.timings["decisions"] = time.perf_counter() - t

    t = time.perf_counter()
    with _step(CHARTS_STEP):
        images, effects_chart = write_charts(runs.out_dir, chart_meta, wait_for_charts())
    result.files["charts"] = runs.out_dir / "charts"
    result.timings["charts"] = time.perf_counter() - t  # beyond the decisions, drawn meanwhile
    with _step("writing report.html"):
        _write_report(job, command, settings_note, settings, costs, decision, table, lasting,
                      images, effects_chart, stage)
    return result


def _stages(on_stage: Callable[[str], None] | None) -> Callable[[str], None]:
    """``on_stage``, called as each step starts, after a Ctrl-C lost in the step before is
    raised (sim.ensemble.executors.raise_lost_ctrl_c): the job stops there, not after its
    last step."""
    def stage(words: str) -> None:
        raise_lost_ctrl_c()
        if on_stage is not None:
            on_stage(words)

    return stage


@contextmanager
def _step(what: str) -> Iterator[None]:
    """An exception from inside is marked with the output step it failed in, ``what``
    ("writing report.html"), unless a step within it marked it first: :func:`failed_step`
    reads it. Marked where it is raised, not taken from the last progress line: the charts
    are drawn while summary.csv is written, under the line "drawing the charts"."""
    try:
        yield
    except Exception as exc:
        if failed_step(exc) is None:
            with suppress(AttributeError):  # an exception type that takes no attributes
                exc.output_step = what
        raise


def failed_step(exc: BaseException) -> str | None:
    """The output step ``exc`` was raised in (see :func:`_step`), or None (the runs, or
    before them)."""
    return getattr(exc, "output_step", None)


def _summarise(job: _Job, pool, stage):
    """One pass over the run files: summaries, bands for the charts, daily.csv.gz."""
    from sim.ensemble import summarise

    out_dir, ordered = job.runs.out_dir, job.runs.scenarios
    endings = durability_windows(ordered[1:], job.days) if job.compare else []
    windows = [w for e in endings for _, w in e.windows if w]
    t = time.perf_counter()
    stage(SUMMARY_STEP)
    present = set(daily_columns(out_dir)) - job.not_applicable
    measured, _ = headline_outcomes(present)
    people = people_measures(present)
    organisers = organiser_measures(present)
    chart_metrics = list(dict.fromkeys(
        measured + people + [m for m in CORE_METRICS if m in present and m not in measured
                             and job.compare is False]
        + [m.name for s in ordered for iv in s.interventions for m in metrics_of(iv)]))
    said = [time.monotonic()]

    def on_each(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - said[0] >= SUMMARY_LINE_EVERY_S:
            said[0] = now
            stage(f"{SUMMARY_STEP}: {done:,} of {total:,} scenarios done")

    summ, _ = summarise_and_write_daily(out_dir, pool, job.base.slug, job.steady, windows,
                                        chart_metrics, summarise, on_each)
    job.result.files["daily"] = out_dir / DAILY_FILE
    job.result.timings["summary_and_daily"] = time.perf_counter() - t
    job.endings = endings
    return summ, measured, people, organisers, chart_metrics


def _rank(job: _Job, summ):
    """Costs, and the decision (when comparing): the card and the ranking."""
    ordered = job.runs.scenarios
    with _step("writing summary.csv"):  # its costs, ranks and chances of being best
        costs = {s.name: scenario_cost(s, job.days) for s in ordered}
        decision = None
        if job.compare:
            decision = decide(summ.summary, summ.steady_values,
                              [(s.name, s.slug) for s in ordered], job.base.name, costs,
                              job.extra, losses(ordered), job.not_applicable,
                              frozenset(as_baseline(ordered, summ.summary)))
    return costs, decision


def _tables(job: _Job, summ, costs, decision, durable: list[str]):
    """summary.csv (with the decision's columns) and durability.csv."""
    out_dir, result = job.runs.out_dir, job.result
    with _step("writing summary.csv"):
        table = summ.summary
        if decision is not None:
            table = cost_columns(table, decision, costs)
        else:
            table = table.assign(cost_per_year_gbp=table["scenario"].map(
                {n: c.per_year_gbp for n, c in costs.items()}),
                saved_per_year_gbp=table["scenario"].map(saved_per_year(costs)))
        result.files["summary"] = write_csv_atomic(out_dir / "summary.csv",
                                                   summary_table(table, kind=job.kind,
                                                                 metrics=job.extra,
                                                                 own=job.own_metrics))
    with _step("writing durability.csv"):
        lasting = durability(summ.windows, job.endings, durable, job.extra)
        if lasting:
            result.files["durability"] = write_csv_atomic(
                out_dir / "durability.csv", durability_table(lasting, job.extra,
                                                             job.own_metrics))
    return table, lasting


def as_baseline(ordered, summary=None) -> list[str]:
    """Names of the options that run exactly as the baseline (the first): a plain copy,
    whose effects are zero by construction (sim.ensemble.runner.runs_alike), and, given the
    ``summary``, any other whose every effect came out exactly zero in every pair (a
    programme that does nothing there: a user check's hub opened on days it opened
    already, picked on the card as "No change on average")."""
    same = {s.name for s, first in alike_earlier(ordered) if first is ordered[0]}
    if summary is not None and len(summary):
        effects = summary[summary["scenario"] != ordered[0].name].dropna(
            subset=["effect_steady"])
        cols = [c for c in ("effect_steady", "effect_steady_lo", "effect_steady_hi",
                            "effect_end") if c in effects]
        for name, rows in effects.groupby("scenario"):
            if len(rows) and (rows[cols].fillna(0.0) == 0.0).all(axis=None):
                same.add(name)
    return [s.name for s in ordered[1:] if s.name in same]


def why_as_baseline(ordered, copies) -> dict[str, str]:
    """{option: why it runs exactly as the baseline, in sentences} for the options named in
    ``copies`` (:func:`as_baseline`), in plan order: the same settings, or effects that
    came out exactly zero, with what the checks of its file said of it (a user check: the
    report sent its reader to warnings printed before the runs, which a reader of the
    report never saw)."""
    same = {s.name for s, first in alike_earlier(ordered) if first is ordered[0]}
    out = {}
    for s in ordered[1:]:
        if s.name not in copies:
            continue
        if s.name in same:
            out[s.name] = (f"It runs exactly as the baseline: it {alike_words(s)} as the "
                           "baseline, so every effect is zero by construction.")
            continue
        said = [getattr(w, "message", str(w)) for w in getattr(s, "warnings", ())]
        said = [m for m in said if "nothing" in m] or said  # why it does nothing, first
        one = len(s.interventions) == 1
        out[s.name] = ("It runs exactly as the baseline: every effect came out exactly zero "
                       f"in every paired run, so its programme{'' if one else 's'} "
                       f"{'does' if one else 'do'} not act in this community."
                       + (f" The check of its file said: {said[0].rstrip('.')}." if said
                          else ""))
    return out


def alike_options(ordered) -> list[tuple[str, str]]:
    """(option, the option before it that it runs exactly as) for each option that repeats
    another, not the baseline: the two have the same effects, run for run."""
    return [(s.name, first.name) for s, first in alike_earlier(ordered)
            if first is not ordered[0]]


def _run_problems(result: JobResult) -> list[str]:
    """Runs that did not finish or failed, for the report, with how to resume."""
    problems = [f"{k.scenario}, run {k.replicate + 1} (seed {k.seed}) did not finish"
                for k in result.missing]
    for f in result.failed:
        problems.append(f"{f.scenario}, run {f.replicate + 1} (seed {f.seed}) failed: "
                        f"{f.error}")
    if problems:
        problems.append(f"Resume with: python run.py {result.kind} ... --resume "
                        f"{result.out_dir}")
    return problems


def _write_report(job: _Job, command, settings_note, settings, costs, decision, table,
                  lasting, images, effects_chart, stage) -> None:
    """report.html, then manifest.json (with the timings of everything before it)."""
    runs, result, kind, ordered = job.runs, job.result, job.kind, job.runs.scenarios
    out_dir, timings, entries, base = runs.out_dir, result.timings, runs.entries, job.base
    days, n_rep, seeds = job.days, job.n_rep, entries[0]["seeds"]
    problems = _run_problems(result)
    different = confounded(ordered) if job.compare else {}
    set_aside = sizes_set_aside(ordered) if job.compare else {}
    # the size the files describe, where the job ran them all at another (the main job's
    # size, --residents): the report says it (a user check read 1,000 beside an area's
    # embedded n_residents = 1500, said only in the terminal)
    n_run = base.model.population.n_residents
    in_files = {s.name: file_residents(s) for s in ordered}
    in_files = in_files if any(v != n_run for v in in_files.values()) else {}
    # the decision's (sim.report.job.as_baseline), each with why
    alike = why_as_baseline(ordered, decision.copies) if decision is not None else {}
    n_missing = {e["name"]: sum(k.slug == e["slug"] for k in result.missing) for e in entries}
    outputs = ["report.html", "summary.csv", DAILY_FILE, "charts/", "manifest.json"] + (
        ["durability.csv"] if lasting else [])
    manifest_extra = {"runs": {"completed": len(runs.ensemble.completed),
                               "skipped_on_resume": runs.ensemble.n_skipped,
                               "failed": [f.to_json() for f in result.failed]},
                      "python_executable": sys.executable,
                      "steady_window_days": list(job.steady),
                      "costs_per_year_gbp": {n: round(c.per_year_gbp, 2)
                                             for n, c in costs.items()},
                      "savings_per_year_gbp": {n: round(v, 2) for n, v in
                                               saved_per_year(costs).items()},
                      "different_community": different, "runs_as_baseline": list(alike),
                      "residents_in_files": in_files,
                      "sizes_set_aside": {k: {"file": a, "baseline_file": b}
                                          for k, (a, b) in set_aside.items()},
                      # relative scenario paths in "command" are from here
                      "working_directory": os.getcwd()}

    def manifest(finished):
        return build_manifest(
            command=list(command), kind=kind, scenarios=ordered,
            baseline=base.name if kind == "compare" else None,
            seeds={"root_seed": entries[0]["root_seed"], "replicate_seeds": seeds},
            started=runs.started, finished=finished, timings=timings,
            settings=settings or {"days": days, "replicates": n_rep, "residents": {
                s.name: s.model.population.n_residents for s in ordered}}, outputs=outputs,
            missing=[{"scenario": k.scenario, "replicate": k.replicate, "seed": k.seed}
                     for k in result.missing], extra=manifest_extra, earlier=runs.earlier,
            runs_run=len(runs.ensemble.completed) - runs.ensemble.n_skipped,
            runs_kept=runs.ensemble.n_skipped)

    t = time.perf_counter()
    stage("writing report.html")
    n_par, n_cal, n_fitted = count_parameters(base.model)
    doc_href = (os.path.relpath(MODEL_DOC, out_dir.resolve()) if MODEL_DOC.exists()
                else "https://github.com/search?q=kindliness-sim+MODEL.md")
    _timing_totals(timings, runs.t0, job.t_post)
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
        model_doc_href=doc_href, n_parameters=n_par, n_calibrated=n_cal,
        n_fitted=n_fitted, problems=problems,
        metrics=job.extra, settings_note=settings_note, steady=job.steady, decision=decision,
        durability=lasting, different_community=different, sizes_set_aside=set_aside,
        residents_in_files=in_files,
        as_baseline=alike,
        alike_options=alike_options(ordered) if job.compare else [],
        late_starts=late_starts(ordered[1:], job.steady) if job.compare else [],
        late_options=late_options(ordered[1:], job.steady) if job.compare else {},
        early_ends=early_ends(ordered[1:], job.steady) if job.compare else [],
        not_applicable=job.not_applicable, own_metrics=job.own_metrics)
    result.files["report"] = write_text_atomic(out_dir / "report.html", render_report(data))
    timings["report"] = time.perf_counter() - t
    _timing_totals(timings, runs.t0, job.t_post)
    with _step("writing manifest.json"):
        result.files["manifest"] = write_manifest(out_dir / MANIFEST_FILE,
                                                  manifest(now_iso()))


def _timing_totals(timings: dict, t0: float, t_post: float) -> None:
    """post_processing (everything after the runs) and its share of the job's time."""
    now = time.perf_counter()
    timings["post_processing"] = now - t_post
    timings["total"] = now - t0
    timings["post_processing_share"] = timings["post_processing"] / max(timings["total"], 1e-9)
