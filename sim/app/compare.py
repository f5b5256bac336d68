"""The compare page: run a small paired ensemble of scenarios and show what changed.

Two layers, as on the live page:

- :func:`run_comparison` (plain Python) runs the ensemble with ``sim.ensemble`` into a fresh
  folder and returns a :class:`Comparison`: the summary (medians, 90% bands, paired effects
  with 95% intervals), the effects table in plain words, median-and-band charts drawn by
  ``sim.report.charts`` and the downloadable files (charts as PNG; summary, daily values,
  bands and seeds as CSV; the scenario definitions; all of it as one zip).
- :func:`ComparePage` (Solara): pick scenarios, baseline, replicates, days, residents and
  seed; run with a progress bar; read the table and charts; download.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import solara

from sim.app.live import (
    LabelledSlider,
    Tipped,
    coerce_seed,
    list_scenarios,
    load_scenario_file,
    scenarios_dir,
)
from sim.app.problems import problems_text
from sim.metrics import REGISTRY
from sim.scenario.schema import Scenario

COMPARE_METRICS = ("trust_in_group", "trust_out_group", "help_seeking_rate", "unmet_need",
                   "burnout_per_1000", "resentment_share", "loneliness_share")
SMALL_ENSEMBLE_RUNS = 12  # up to this many runs, run in this process (a pool takes seconds)
DEFAULT_REPLICATES = 5
DEFAULT_DAYS = 180
_PYPLOT_LOCK = threading.Lock()


@dataclass
class Comparison:
    """A finished comparison: its folder, summary and everything the page shows."""

    out_dir: Path
    scenarios: list[Scenario]
    baseline: str  # scenario name
    days: int
    replicates: int
    seed: int
    residents: int | None
    summary: object  # sim.ensemble.Summary
    plan: dict
    wall_s: float
    failures: list = field(default_factory=list)
    _charts: dict = field(default_factory=dict, repr=False)

    # -- tables -------------------------------------------------------------------------
    def effects_table(self) -> pd.DataFrame:
        """One row per scenario and core metric: baseline and scenario medians on the last
        day, the paired effect with its 95% interval, and a verdict, in plain words."""
        from sim.report.units import display
        from sim.report.words import VERDICT_WORDS, effect_verdict, interval_words

        s = self.summary.summary
        base = s[s["scenario"] == self.baseline].set_index("metric")
        rows = []
        for name in [sc.name for sc in self.scenarios if sc.name != self.baseline]:
            mine = s[s["scenario"] == name].set_index("metric")
            for metric in COMPARE_METRICS:
                if metric not in mine.index:
                    continue
                r, d = mine.loc[metric], display(metric)
                rows.append({
                    "Scenario": name,
                    "Measure": f"{d.label} ({d.axis})",
                    f"Baseline on day {self.days}": d.value(base.at[metric, "median_end"])
                    if metric in base.index else "n/a",
                    f"Scenario on day {self.days}": d.value(r["median_end"]),
                    "Change (95% interval, unit as in Measure)":
                        interval_words(r, metric),
                    "Verdict": VERDICT_WORDS[effect_verdict(r, metric)],
                })
        return pd.DataFrame(rows)

    def seeds_table(self) -> pd.DataFrame:
        rows = [{"scenario": e["name"], "file": e.get("path") or "", "replicate": i,
                 "seed": seed, "root_seed": e["root_seed"], "days": e["days"]}
                for e in self.plan["scenarios"] for i, seed in enumerate(e["seeds"])]
        return pd.DataFrame(rows)

    # -- charts -------------------------------------------------------------------------
    def windows(self) -> dict[str, list[tuple[str, int, int]]]:
        out = {}
        for sc in self.scenarios:
            out[sc.name] = [(iv.label, *iv.window(self.days)) for iv in sc.interventions]
        return out

    def chart_png(self, metric: str) -> bytes:
        """The median-and-band chart of one metric (drawn once, then kept)."""
        with _PYPLOT_LOCK:  # pyplot keeps global state: one chart at a time
            if metric not in self._charts:
                self._charts[metric] = self._draw_chart(metric)
        return self._charts[metric]

    def _draw_chart(self, metric: str) -> bytes:
        import matplotlib.pyplot as plt

        from sim.report.charts import plot_metric

        fig = plot_metric(self.summary.bands, metric,
                          scenarios=[sc.name for sc in self.scenarios],
                          baseline=self.baseline, windows=self.windows(),
                          n_runs=self.replicates)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        plt.close(fig)
        return buf.getvalue()

    # -- downloads ----------------------------------------------------------------------
    def summary_csv(self) -> bytes:
        return self.summary.summary.to_csv(index=False).encode()

    def effects_csv(self) -> bytes:
        return self.effects_table().to_csv(index=False).encode()

    def bands_csv(self) -> bytes:
        return self.summary.bands.to_csv(index=False).encode()

    def seeds_csv(self) -> bytes:
        return self.seeds_table().to_csv(index=False).encode()

    def daily_csv(self) -> bytes:
        from sim.ensemble import write_daily_csv

        path = self.out_dir / "daily.csv"
        if not path.exists():
            write_daily_csv(self.out_dir, path, metrics=list(COMPARE_METRICS))
        return path.read_bytes()

    def definitions_json(self) -> bytes:
        """What was compared: each scenario's merged definition, file and seeds."""
        plan = {e["name"]: e for e in self.plan["scenarios"]}
        out = {
            "baseline": self.baseline, "days": self.days, "replicates": self.replicates,
            "root_seed": self.seed, "residents_override": self.residents,
            "scenarios": [{
                "name": sc.name, "description": sc.description, "file": sc.path,
                "definition": sc.definition, "seeds": plan[sc.name]["seeds"],
                "interventions": [repr(iv) for iv in sc.interventions],
            } for sc in self.scenarios],
        }
        return json.dumps(out, indent=1, default=str).encode()

    def zip_bytes(self) -> bytes:
        """Everything in one file: CSVs, scenario definitions (and source files), charts."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("summary.csv", self.summary_csv())
            z.writestr("effects.csv", self.effects_csv())
            z.writestr("bands.csv", self.bands_csv())
            z.writestr("daily.csv", self.daily_csv())
            z.writestr("seeds.csv", self.seeds_csv())
            z.writestr("scenarios.json", self.definitions_json())
            for sc in self.scenarios:
                if sc.path and Path(sc.path).is_file():
                    z.write(sc.path, f"scenario-files/{Path(sc.path).name}")
            for metric in COMPARE_METRICS:
                z.writestr(f"charts/{metric}.png", self.chart_png(metric))
        return buf.getvalue()

    def remove(self) -> None:
        """Delete the comparison's folder of run files."""
        shutil.rmtree(self.out_dir, ignore_errors=True)


def prepare_scenarios(scenarios: list[Scenario], *, days: int, replicates: int, seed: int,
                      residents: int | None) -> list[Scenario]:
    """The scenarios with the page's settings applied to all (a paired comparison needs one
    root seed and one length of run); names made unique."""
    out, slugs = [], set()
    for sc in scenarios:
        sc = sc.with_overrides(days=days, replicates=replicates, seed=seed,
                               residents=residents)
        name, k = sc.name, 2
        while dataclasses.replace(sc, name=name).slug in slugs:
            name, k = f"{sc.name} ({k})", k + 1
        sc = dataclasses.replace(sc, name=name)
        slugs.add(sc.slug)
        out.append(sc)
    return out


def run_comparison(scenarios: list[Scenario], *, baseline_index: int = 0, days: int,
                   replicates: int, seed: int, residents: int | None = None,
                   out_dir: Path | None = None, workers: int | None = None,
                   on_progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Run ``replicates`` paired replicates of each scenario for ``days`` days and summarise
    them against the baseline (``scenarios[baseline_index]``). ``on_progress(done, total)``
    is called as runs finish. Runs go to ``out_dir`` (default: a new temporary folder)."""
    from sim.ensemble import run_ensemble, summarise

    if len(scenarios) < 1:
        raise ValueError("choose at least one scenario")
    prepared = prepare_scenarios(scenarios, days=days, replicates=replicates, seed=seed,
                                 residents=residents)
    base = prepared[baseline_index]
    ordered = [base] + [s for i, s in enumerate(prepared) if i != baseline_index]
    out_dir = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="kindliness-compare-"))
    n_runs = replicates * len(ordered)
    if workers is None:
        workers = 1 if n_runs <= SMALL_ENSEMBLE_RUNS else None

    def progress(p):
        if on_progress is not None:
            on_progress(p.n_done, p.n_total)

    result = run_ensemble(ordered, out_dir / "runs", replicates=replicates, workers=workers,
                          on_progress=progress)
    if result.missing and not result.completed:
        first = result.failed[0] if result.failed else None
        raise RuntimeError("every run failed" + (f": {first.error}" if first else ""))
    summary = summarise(out_dir / "runs", metrics=list(COMPARE_METRICS))
    return Comparison(out_dir=out_dir / "runs", scenarios=ordered, baseline=base.name,
                      days=days, replicates=replicates, seed=seed, residents=residents,
                      summary=summary, plan=result.plan, wall_s=result.wall_s,
                      failures=list(result.failed))


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRequest:
    labels: tuple[str, ...]
    baseline: str
    days: int
    replicates: int
    seed: int
    residents: int | None


def _default_selection(labels: list[str]) -> list[str]:
    return labels[:2]


@solara.component
def ComparePage():
    choices = solara.use_memo(list_scenarios, [])
    labels = list(choices)
    chosen, set_chosen = solara.use_state(_default_selection(labels))
    baseline, set_baseline = solara.use_state(labels[0])
    replicates, set_replicates = solara.use_state(DEFAULT_REPLICATES)
    days, set_days = solara.use_state(DEFAULT_DAYS)
    residents, set_residents = solara.use_state(1000)
    seed_text, set_seed_text = solara.use_state("20261124")
    # (request being run or None, last comparison): one state, so that finishing a run is
    # one update (two updates from the worker thread would re-render in between)
    job, set_job = solara.use_state((None, None))
    request, comparison = job
    progress, set_progress = solara.use_state((0, 0))
    error, set_error = solara.use_state("")
    running = request is not None
    previous = solara.use_ref(None)

    def start():
        picked = [lab for lab in labels if lab in chosen]
        base = baseline if baseline in picked else (picked[0] if picked else "")
        try:
            seed = coerce_seed(seed_text)
        except ValueError as exc:
            set_error(str(exc))
            return
        if not picked:
            set_error("Choose at least one scenario to run.")
            return
        set_error("")
        set_progress((0, replicates * len(picked)))
        set_job((RunRequest(tuple(picked), base, int(days), int(replicates), seed,
                            int(residents)), comparison))

    def work(cancel: threading.Event):
        if request is None:
            return
        try:
            scenarios = [load_scenario_file(choices[lab]) for lab in request.labels]
            result = run_comparison(
                scenarios, baseline_index=request.labels.index(request.baseline),
                days=request.days, replicates=request.replicates, seed=request.seed,
                residents=request.residents,
                on_progress=lambda done, total: set_progress((done, total)))
        except Exception as exc:  # shown to the user; the page stays usable
            set_error(f"The comparison failed: {problems_text(exc, scenarios_dir())}")
            set_job((None, comparison))
            return
        if previous.current is not None:
            previous.current.remove()
        previous.current = result
        set_job((None, result))  # last: it re-runs this hook (this thread is not interrupted)

    solara.use_thread(work, dependencies=[request], intrusive_cancel=False)

    with solara.Sidebar(), solara.Card("Compare scenarios", margin=0):
        with Tipped("Scenario files in the scenarios/ folder to run side by side."):
            solara.SelectMultiple("Scenarios", values=[c for c in chosen if c in labels],
                                  all_values=labels, on_value=set_chosen)
        with Tipped("The scenario the others are compared with (usually the baseline)."):
            solara.Select("Baseline", values=[c for c in labels if c in chosen] or labels,
                          value=baseline, on_value=set_baseline)
        LabelledSlider("Replicates per scenario", replicates, 2, 30, 1, set_replicates,
                       "Runs per scenario. Replicate i of every scenario uses the same seed, "
                       "so differences come from the scenario, not from luck.", "replicates",
                       integer=True)
        LabelledSlider("Days to simulate", days, 30, 730, 10, set_days,
                       "How many days each run simulates.", "days", integer=True)
        LabelledSlider("Residents", residents, 200, 5000, 100, set_residents,
                       "Residents in every scenario's community (overrides the files).",
                       "residents", integer=True)
        with Tipped("Root seed: the replicates' seeds are derived from it."):
            solara.InputText("Seed (a whole number)", value=seed_text,
                             on_value=set_seed_text, continuous_update=True)
        solara.Button("Run comparison", icon_name="mdi-play", color="primary",
                      on_click=start, disabled=running, classes=["compare-run"])
        if error:
            solara.Error(error, classes=["compare-error"])

    with solara.Column(style={"padding": "8px"}):
        solara.Text("Compare scenarios", style={"font-size": "22px", "font-weight": "bold"})
        if running:
            done, total = progress
            solara.Text(f"Running: {done} of {total} runs done", classes=["compare-progress"])
            solara.ProgressLinear(100.0 * done / total if total else True)
        if comparison is None:
            if not running:
                solara.Info("Choose scenarios, replicates and days in the sidebar, then press "
                            "Run comparison. A few replicates of 180 days take seconds.")
            return
        ComparisonView(comparison, settled=not running)


@solara.component
def ComparisonView(comparison: Comparison, settled: bool = True):
    c = comparison
    runs = c.replicates * len(c.scenarios)
    solara.Text(f"{len(c.scenarios)} scenarios x {c.replicates} replicates x {c.days} days "
                f"({runs} runs, {c.wall_s:.1f} s); baseline: {c.baseline}; root seed {c.seed}.",
                classes=["compare-done" if settled else "compare-previous"])
    if c.failures:
        solara.Warning(f"{len(c.failures)} runs failed and are left out: "
                       + "; ".join(f"{f.scenario} #{f.replicate}: {f.error}"
                                   for f in c.failures[:3]))
    table = c.effects_table()
    solara.Text("Effect of each scenario against the baseline on the last day: the mean "
                "paired difference, with its 95% interval. 'No clear change' means the "
                "interval includes zero.", style={"font-size": "13px"})
    if table.empty:
        solara.Info("Only the baseline was run: there are no effects to show.")
    else:
        solara.DataFrame(table, items_per_page=len(table) or 1)
    with solara.Row(classes=["compare-downloads"], style={"flex-wrap": "wrap"}):
        solara.FileDownload(c.effects_csv, filename="effects.csv", label="Effects table (CSV)",
                            mime_type="text/csv")
        solara.FileDownload(c.summary_csv, filename="summary.csv",
                            label="Summary, every metric (CSV)", mime_type="text/csv")
        solara.FileDownload(c.daily_csv, filename="daily.csv", label="Daily values (CSV)",
                            mime_type="text/csv")
        solara.FileDownload(c.seeds_csv, filename="seeds.csv", label="Seeds (CSV)",
                            mime_type="text/csv")
        solara.FileDownload(c.definitions_json, filename="scenarios.json",
                            label="Scenario definitions (JSON)", mime_type="application/json")
        solara.FileDownload(c.zip_bytes, filename="comparison.zip",
                            label="Everything (zip)", mime_type="application/zip")
    solara.Text("Charts: the line is the median of the runs, the band holds 90% of them; "
                "shading marks when interventions are active.", style={"font-size": "13px"})
    with solara.ColumnsResponsive(12, large=6):
        for metric in COMPARE_METRICS:
            ChartCell(c, metric)


@solara.component
def ChartCell(comparison: Comparison, metric: str):
    """One metric's chart, drawn in a worker thread so that the table shows first."""
    png = solara.use_thread(lambda: comparison.chart_png(metric), [comparison, metric])
    # one function object per chart, so that FileDownload does not reset on each render
    download = solara.use_memo(lambda: lambda: comparison.chart_png(metric),
                               [comparison, metric])
    with solara.Column(classes=["compare-chart"]):
        with Tipped(REGISTRY[metric].doc):
            solara.Text(REGISTRY[metric].label, style={"font-weight": "bold"})
        if png.state == solara.ResultState.FINISHED:
            solara.Image(png.value, width="100%")
            solara.FileDownload(download, filename=f"{metric}.png", label="Chart (PNG)",
                                mime_type="image/png")
        elif png.state == solara.ResultState.ERROR:
            solara.Error(f"This chart could not be drawn: {png.error}")
        else:
            solara.Text("Drawing the chart...", style={"color": "#666"})
            solara.ProgressLinear(True)
