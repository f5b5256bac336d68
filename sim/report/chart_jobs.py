"""The report's charts: which to draw from the summary, drawn in worker processes while the
decisions are made, written to charts/ one PNG at a time (atomically).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from sim.ensemble.executors import pool_in_use, pool_method, process_pool, quiet_worker
from sim.report.outputs import write_bytes_atomic
from sim.report.page import ChartImage
from sim.report.programmes import intervention_windows, metrics_of
from sim.report.units import display, fmt_days

CHART_DPI = 100
CHART_WORKERS = 2  # processes drawing charts at once (fewer when the machine has fewer cores)
DRAWN_FIRST = ("plot_intervention_counts",)  # the longest charts to draw, started first


def charts_module():
    """sim.report.charts, imported on first use: it brings matplotlib (about 0.9 s), which a
    job need not wait for before its runs start (:func:`preload_charts`)."""
    from sim.report import charts

    return charts


def preload_charts() -> None:
    """Import the chart code now, so that the chart processes, forked from this one once the
    runs are done, start with it. A job calls this while its runs go (this process only
    waits on them then), instead of before them, when the second core would sit idle."""
    charts_module()


class ChartPool:
    """Charts drawn in up to CHART_WORKERS processes, or in this process when ``workers``
    is 1 or there is one core.

    The processes are started when the runs are done (their pool and its threads gone), by
    forking where the platform allows and this process runs no other thread (they then
    start with the chart code already imported) and otherwise through the runs' fork server
    (sim.ensemble.executors.start_fork_server); they
    warm up while the summaries are made and draw while the decisions are made.

    Used as a context manager (``with ChartPool(workers) as pool:``), or closed with
    :meth:`close`: the processes are shut down as :func:`sim.ensemble.executors.pool_in_use`
    says (at once on Ctrl-C; a chart is written whole or not at all)."""

    def __init__(self, workers: int | None):
        n = min(CHART_WORKERS, os.cpu_count() or 1)
        self.executor = None
        self._in_use = contextlib.ExitStack()
        if workers != 1 and n > 1:
            # chart workers leave Ctrl-C to the job, which ends the pool, and end with the
            # job's process
            self.executor = self._in_use.enter_context(
                pool_in_use(process_pool(n, pool_method(), quiet_worker)))
            try:
                self._warming = [self.executor.submit(charts_module().warm_up)
                                 for _ in range(n)]
            except BaseException as exc:
                self.__exit__(type(exc), exc, exc.__traceback__)
                raise

    def __enter__(self) -> ChartPool:
        return self

    def __exit__(self, *exc) -> None:
        self.executor = None
        self._in_use.__exit__(*exc)

    def map(self, fn, arg_tuples: list[tuple], on_each: Callable | None = None) -> list:
        """``[fn(*args) for args in arg_tuples]``, in the pool when there is one;
        ``on_each(done, total)`` as each is done (in the order they finish)."""
        total = len(arg_tuples)
        if self.executor is None:
            out = []
            for args in arg_tuples:
                out.append(fn(*args))
                if on_each is not None:
                    on_each(len(out), total)
            return out
        futures = [self.executor.submit(fn, *args) for args in arg_tuples]
        if on_each is not None:
            for done, _ in enumerate(concurrent.futures.as_completed(futures), 1):
                on_each(done, total)
        return [f.result() for f in futures]

    def draw(self, jobs: list[tuple[str, dict]]) -> list[bytes]:
        return self.map(charts_module().draw_chart, [(kind, kw, CHART_DPI) for kind, kw in jobs])

    def start_drawing(self, jobs: list[tuple[str, dict]]) -> Callable[[], list[bytes]]:
        """Start drawing ``jobs``; returns a function that waits for the PNGs (in this
        process, where there is no pool, the drawing happens then)."""
        if self.executor is None:
            return lambda: self.draw(jobs)
        # the longest first, so that it does not start last while the other process idles
        # (the interventions' counts: about twice a metric chart; 5% off the charts' time)
        order = sorted(range(len(jobs)), key=lambda i: jobs[i][0] not in DRAWN_FIRST)
        futures = {i: self.executor.submit(charts_module().draw_chart, *jobs[i], CHART_DPI)
                   for i in order}
        return lambda: [futures[i].result() for i in range(len(jobs))]

    def close(self) -> None:
        self.__exit__(None, None, None)



def chart_jobs(summ, ordered, base, days, n_rep, steady, compare, measured, people,
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
    own = {m.name for s in ordered for iv in s.interventions for m in metrics_of(iv)}
    for m in [c for c in chart_metrics if c not in own]:
        rows = bands[bands["metric"] == m]
        if rows.empty:
            continue
        jobs.append(("plot_metric", {
            "bands": rows, "metric": m, "scenarios": names,
            "baseline": base.name if compare else None, "windows": windows, "metrics": extra,
            "n_runs": n_rep, "steady": steady if compare else None}))
        d = display(m, extra)
        meta.append((m, d.label, f"{d.label} over {fmt_days(days)}: weekly averages of the median "
                     "and the 90% band per scenario"))
    per_scenario = {s.name: [programme_counts(iv, s.interventions) for iv in s.interventions]
                    for s in ordered}
    if any(counts for progs in per_scenario.values() for _, counts in progs):
        jobs.append(("plot_intervention_counts", {
            "bands": bands[bands["metric"].isin(own)], "per_scenario": per_scenario,
            "windows": windows, "n_runs": n_rep}))
        meta.append(("interventions", "What the interventions did",
                     "Each intervention's own counts through time"))
    return jobs, meta


def programme_counts(iv, others=None) -> tuple[str, dict[str, str]]:
    """An intervention's label and its counts, ``{metric name: what it counts}``: the
    metric's label without the programme's name in front ("residents reached"), and "now"
    after a count of the day's state ("bridge figures under strain now"; the others are
    added up from the start), read from this intervention (two scenarios may name the same
    metric for differently labelled programmes). Given ``others`` (the scenario's
    interventions), counts that cannot move beside them (``Intervention.idle_counts``) are
    left out."""
    label = str(getattr(iv, "label", type(iv).__name__))
    idle = iv.idle_counts(others) if others is not None and hasattr(iv, "idle_counts") \
        else set()
    return label, {m.name: m.label.removeprefix(f"{label}: ") + (" now" if m.now else "")
                   for m in metrics_of(iv) if m.name not in idle}


def write_charts(out_dir: Path, meta, pngs):
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

