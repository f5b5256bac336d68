"""The compare page: run a paired comparison the way ``run.py compare`` does and show its
report's results.

Two layers, as on the live page:

- plain Python: :func:`run_comparison` runs :func:`sim.report.job.run_job`, the command
  line's own pipeline, into a fresh folder (runs, summary, daily values, charts, manifest,
  report.html) and returns a :class:`Comparison`: that report.html, shown on the page as it
  is (its decision card first, then its ranking, strain, costs, effects chart and charts:
  the same page the command line writes, rendered by sim/report/html.py, not a copy), and
  the files to download (report.html, summary, daily values, all of it as one zip).
  :func:`estimate_seconds` times a few model days of the chosen size on this machine to say
  how long a comparison will take before it starts. :func:`check_upload`
  validates a scenario file brought by the user: it may only extend a file in the scenarios
  folder, and it gets the scenario loader's own messages.
- Solara: :func:`ComparePage` (choose, bring a file, estimate, run with progress, read).
"""

from __future__ import annotations

import dataclasses
import html
import io
import math
import shutil
import tempfile
import threading
import time
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import solara

from sim.app.layout import Frame as PageFrame
from sim.app.layout import LabelledSlider, Main, ShortText, Side, Tipped
from sim.app.problems import problems_text
from sim.app.scenario_files import coerce_seed, list_scenarios, load_scenario_file, scenarios_dir
from sim.ensemble.seeds import DEFAULT_ROOT_SEED
from sim.scenario.schema import Scenario

POOL_WORTH_S = 120.0  # run in this process unless the runs alone would take longer than this
POOL_START_S = 45.0  # a process pool's start-up here, measured on the shared two-core machine
# (2 x 2 runs of 30 days: 48-53 s in a pool, 0.5-2.4 s in this process; 4 x 5 x 180 days:
# 67-83 s against 8 s): a pool pays only for long comparisons
RUN_OVERHEAD_S = 0.03  # per run: starting it, writing its file (measured: 2 x 2 short runs)
STORE_DAY_FACTOR = 1.4  # a stored day costs this much more than a bare one (measured: 40 runs)
DEFAULT_REPLICATES = 5
DEFAULT_DAYS = 180
MAX_UPLOAD_BYTES = 256 * 1024  # a scenario file is a few KB
# fits the report's frame to the report's height (the report itself has no script)
FIT_FRAME = ("<script>(function(){function fit(){var f=window.frameElement;if(f){"
             "f.style.height=(document.documentElement.scrollHeight+4)+'px';}}"
             "window.addEventListener('load',fit);window.addEventListener('resize',fit);"
             "setTimeout(fit,200);setTimeout(fit,1500);})();</script>")


# ---------------------------------------------------------------------------------------------
# A finished comparison
# ---------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """A finished comparison: its folder (the job's outputs) and what the page shows."""

    out_dir: Path
    scenarios: list[Scenario]
    baseline: str  # scenario name
    days: int
    replicates: int
    seed: int
    residents: int | None
    summary: pd.DataFrame  # the job's summary.csv
    timings: dict
    failures: list = field(default_factory=list)
    estimate_s: float | None = None

    @property
    def wall_s(self) -> float:
        return float(self.timings.get("total", 0.0))

    # -- files the job wrote ---------------------------------------------------------------
    @property
    def report(self) -> Path | None:
        path = self.out_dir / "report.html"
        return path if path.is_file() else None

    def file(self, name: str) -> Path | None:
        """One of the job's files by name (daily values may be .csv or .csv.gz)."""
        for candidate in (name, name + ".gz"):
            path = self.out_dir / candidate
            if path.is_file():
                return path
        return None

    def report_frame_html(self) -> str:
        """report.html inside an iframe that takes the report's own height: the compare
        page shows the very page the job wrote (its decision card, ranking, effects chart and
        charts), its styles kept apart from the visualiser's."""
        text = self.report.read_text(encoding="utf-8") if self.report else ""
        text = text.replace("</body>", FIT_FRAME + "</body>", 1)
        return (f"<iframe class='compare-report' title='The report' srcdoc=\"{html.escape(text)}\" "
                "style='width:100%;height:80vh;border:1px solid #dcdcdc;border-radius:4px'>"
                "</iframe>")

    def zip_bytes(self) -> bytes:
        """The comparison in one file: report, summary, daily values, charts, manifest and
        the scenario files (the per-run files stay out: they are for resuming)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(self.out_dir.rglob("*")):
                rel = path.relative_to(self.out_dir)
                if path.is_file() and rel.parts[0] != "runs" and not rel.name.startswith("."):
                    z.write(path, str(rel))
            for sc in self.scenarios:
                if sc.path and Path(sc.path).is_file():
                    z.write(sc.path, f"scenario-files/{Path(sc.path).name}")
        return buf.getvalue()

    def remove(self) -> None:
        """Delete the comparison's folder."""
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
                   on_progress: Callable[[int, int], None] | None = None,
                   on_stage: Callable[[str], None] | None = None,
                   estimate_s: float | None = None) -> Comparison:
    """Run ``replicates`` paired replicates of each scenario for ``days`` days with the
    command line's pipeline (:func:`sim.report.job.run_job`) and return what the page shows.
    ``on_progress(done, total)`` as runs finish, ``on_stage(words)`` for the steps after
    them. The job's folder is ``out_dir`` (default: a new temporary folder)."""
    from sim.report.job import run_job

    if len(scenarios) < 1:
        raise ValueError("choose at least one scenario")
    prepared = prepare_scenarios(scenarios, days=days, replicates=replicates, seed=seed,
                                 residents=residents)
    base = prepared[baseline_index]
    ordered = [base] + [s for i, s in enumerate(prepared) if i != baseline_index]
    folder = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="kindliness-compare-"))
    job_dir = folder / "comparison"
    if workers is None:
        workers = choose_workers(len(ordered), replicates, days, residents or
                                 base.model.population.n_residents)

    def progress(p):
        if on_progress is not None:
            on_progress(p.n_done, p.n_total)

    result = run_job(ordered, job_dir, kind="compare" if len(ordered) > 1 else "run",
                     command=["visualiser", "compare"], workers=workers, on_progress=progress,
                     on_stage=on_stage,
                     settings={"days": days, "replicates": replicates, "root_seed": seed,
                               "residents": residents})
    summary = pd.read_csv(result.files["summary"])
    learn_post_processing(len(ordered), result.timings)
    return Comparison(out_dir=job_dir, scenarios=ordered, baseline=base.name, days=days,
                      replicates=replicates, seed=seed, residents=residents, summary=summary,
                      timings=dict(result.timings), failures=list(result.failed),
                      estimate_s=estimate_s)


# ---------------------------------------------------------------------------------------------
# Before a run: how long it will take
# ---------------------------------------------------------------------------------------------

_PROBES: dict[int, tuple[float, float]] = {}
_PROBE_LOCK = threading.Lock()
PROBE_DAYS = 15


def day_cost(residents: int) -> tuple[float, float]:
    """(seconds to build a community, seconds per simulated day) at ``residents`` on this
    machine now: a community is built and run for :data:`PROBE_DAYS` days (kept per size)."""
    from sim.app import warmup

    warmup.wait()  # the compiled rules, so that loading them is not timed as a day
    with _PROBE_LOCK:
        if residents not in _PROBES:
            scenario = Scenario(name="probe").with_overrides(residents=residents)
            scenario.build_model(0, days_hint=2).run_days(2)  # first-call costs, untimed
            t0 = time.perf_counter()
            model = scenario.build_model(1, days_hint=PROBE_DAYS)
            t1 = time.perf_counter()
            model.run_days(PROBE_DAYS)
            t2 = time.perf_counter()
            _PROBES[residents] = (t1 - t0, (t2 - t1) / PROBE_DAYS)
        return _PROBES[residents]


def runs_in_process_s(n_scenarios: int, replicates: int, days: int, residents: int) -> float:
    """Seconds the runs would take one after another in this process."""
    build, per_day = day_cost(int(residents))
    return n_scenarios * replicates * (build + RUN_OVERHEAD_S + days * per_day *
                                       STORE_DAY_FACTOR)


def choose_workers(n_scenarios: int, replicates: int, days: int, residents: int) -> int | None:
    """1 (this process) while the runs take less than :data:`POOL_WORTH_S` seconds: a pool's
    workers spend long seconds starting (:data:`POOL_START_S`), which a small comparison
    never wins back; None (a process per core) beyond that, and then the report's charts
    are drawn in parallel too (sim/report/job.py draws them in this process when the job
    runs in it)."""
    if runs_in_process_s(n_scenarios, replicates, days, residents) < POOL_WORTH_S:
        return 1
    return None


# summaries, charts and the report: seconds per scenario, learnt from the last comparisons
# on this server (the first estimate uses what was measured here: about 2.5 s per scenario,
# charts drawn one after another)
_POST = {"per_scenario_s": 2.5, "fixed_s": 2.0}


def learn_post_processing(n_scenarios: int, timings: dict) -> None:
    """Update the per-scenario cost of what follows the runs from a finished comparison."""
    post = float(timings.get("total", 0.0)) - float(timings.get("runs", 0.0))
    if n_scenarios > 0 and post > 0:
        seen = max(0.0, post - _POST["fixed_s"]) / n_scenarios
        _POST["per_scenario_s"] = 0.5 * _POST["per_scenario_s"] + 0.5 * seen


def estimate_seconds(n_scenarios: int, replicates: int, days: int, residents: int) -> float:
    """Wall-clock seconds a comparison should take here: the runs at the cost of a day
    measured now (spread over the cores, plus a pool's start, when a pool is worth it), then
    the summaries, charts and report at the cost learnt from earlier comparisons."""
    import os

    runs = runs_in_process_s(n_scenarios, replicates, days, residents)
    if choose_workers(n_scenarios, replicates, days, residents) != 1:
        runs = runs / max(1, min(os.cpu_count() or 1, n_scenarios * replicates)) \
            + POOL_START_S
    return runs + _POST["fixed_s"] + _POST["per_scenario_s"] * n_scenarios


def duration_words(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(1, int(math.ceil(seconds / 5.0) * 5))} seconds"
    return f"about {int(round(seconds / 60.0))} minutes"


# ---------------------------------------------------------------------------------------------
# Scenario files brought by the user
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A checked scenario file brought by the user (kept in the page's own folder)."""

    name: str  # the file name as uploaded
    path: Path  # where the page keeps it
    scenario: Scenario


class UploadError(ValueError):
    """What is wrong with an uploaded file, in lines a user can act on."""


def check_upload(file_name: str, data: bytes, folder: Path, keep_in: Path,
                 taken_names=()) -> Upload:
    """Validate an uploaded scenario file and keep it in ``keep_in``.

    It must be a small UTF-8 TOML file that ``extends`` a file in ``folder`` by its bare
    name (uploaded files may only extend the scenarios offered here, so that a comparison
    stays a comparison of the same community and a file cannot reach elsewhere on the
    server); then the scenario loader checks it, and its messages are returned as they are,
    naming the uploaded file. Raises :class:`UploadError`."""
    from sim.scenario.errors import ScenarioError
    from sim.scenario.loader import load_scenario

    shown = Path(file_name).name or "uploaded.toml"
    if not shown.endswith(".toml"):
        raise UploadError(f"{shown}: a scenario file ends in .toml")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{shown}: {len(data):,} bytes; a scenario file is at most "
                          f"{MAX_UPLOAD_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(f"{shown}: not UTF-8 text (byte {exc.start}); save it as "
                          "UTF-8") from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UploadError(f"{shown}: TOML syntax error: {exc}") from None
    offered = sorted(p.name for p in Path(folder).glob("*.toml"))
    parent = parsed.get("extends")
    if not isinstance(parent, str) or parent not in offered:
        got = f"extends = {parent!r}" if parent is not None else "no extends"
        raise UploadError(f"{shown}: extends: uploaded files may only extend a scenario "
                          f"offered here, named as it is (got {got}); allowed: "
                          + ", ".join(offered))
    work = Path(tempfile.mkdtemp(prefix="check-", dir=keep_in))
    try:
        for p in Path(folder).glob("*.toml"):
            shutil.copy(p, work / p.name)
        target = work / ("uploaded-" + shown if shown in offered else shown)
        target.write_text(text, encoding="utf-8")
        try:
            scenario = load_scenario(target)
        except ScenarioError as exc:
            raise UploadError("\n".join(str(p).replace(str(work) + "/", "")
                                        for p in exc.problems)) from None
        if scenario.name in set(taken_names):
            raise UploadError(f"{shown}: name: '{scenario.name}' is already the name of a "
                              "scenario here; give the file its own name = \"...\"")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Upload(shown, target, scenario)


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
    estimate_s: float | None = None


def _default_selection(labels: list[str]) -> list[str]:
    return labels[:2]


@solara.component
def ComparePage():
    folder = scenarios_dir()
    files = solara.use_memo(lambda: list_scenarios(folder), [])
    keep_in = solara.use_memo(lambda: Path(tempfile.mkdtemp(prefix="kindliness-uploads-")),
                              [])
    uploads, set_uploads = solara.use_state(())  # tuple of Upload
    choices: dict = {**files, **{upload_label(u): u for u in uploads}}
    labels = list(choices)
    chosen, set_chosen = solara.use_state(_default_selection(labels))
    baseline, set_baseline = solara.use_state(labels[0])
    replicates, set_replicates = solara.use_state(DEFAULT_REPLICATES)
    days, set_days = solara.use_state(DEFAULT_DAYS)
    residents, set_residents = solara.use_state(1000)
    seed_text, set_seed_text = solara.use_state(str(DEFAULT_ROOT_SEED))
    # (request being run or None, last comparison): one state, so that finishing a run is
    # one update (two updates from the worker thread would re-render in between)
    job, set_job = solara.use_state((None, None))
    request, comparison = job
    progress, set_progress = solara.use_state((0, 0, ""))
    error, set_error = solara.use_state("")
    upload_error, set_upload_error = solara.use_state("")
    running = request is not None
    previous = solara.use_ref(None)
    picked = [lab for lab in labels if lab in chosen]
    estimate = solara.use_thread(
        lambda: estimate_seconds(max(len(picked), 1), int(replicates), int(days),
                                 int(residents)),
        [len(picked), replicates, days, residents])

    def cleanup():
        def done():
            shutil.rmtree(keep_in, ignore_errors=True)
            if previous.current is not None:
                previous.current.remove()
        return done

    solara.use_effect(cleanup, [])

    def start():
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
        set_progress((0, replicates * len(picked), ""))
        guess = estimate.value if estimate.state == solara.ResultState.FINISHED else None
        set_job((RunRequest(tuple(picked), base, int(days), int(replicates), seed,
                            int(residents), guess), comparison))

    def load(label: str) -> Scenario:
        item = choices[label]
        return item.scenario if isinstance(item, Upload) else load_scenario_file(item)

    def work(cancel: threading.Event):
        if request is None:
            return
        try:
            scenarios = [load(lab) for lab in request.labels]
            result = run_comparison(
                scenarios, baseline_index=request.labels.index(request.baseline),
                days=request.days, replicates=request.replicates, seed=request.seed,
                residents=request.residents, estimate_s=request.estimate_s,
                on_progress=lambda done, total: set_progress((done, total, "")),
                on_stage=lambda words: set_progress((request.replicates * len(
                    request.labels),) * 2 + (words,)))
        except Exception as exc:  # shown to the user (no server paths); the page stays usable
            set_error(f"The comparison failed: {problems_text(exc, scenarios_dir())}")
            set_job((None, comparison))
            return
        if previous.current is not None:
            previous.current.remove()
        previous.current = result
        set_job((None, result))  # last: it re-runs this hook (this thread is not interrupted)

    solara.use_thread(work, dependencies=[request], intrusive_cancel=False)

    def names_taken(but=None) -> list[str]:
        """Scenario names already offered (an upload must not reuse one)."""
        out = []
        for lab, item in choices.items():
            if item is but:
                continue
            try:
                out.append(load(lab).name)
            except Exception:  # noqa: BLE001 - a broken file takes no name
                continue
        return out

    def on_upload(files_in):
        taken = names_taken()
        added, problems = list(uploads), []
        for f in files_in or ():
            try:
                up = check_upload(f["name"], bytes(f["content"]), folder, keep_in, taken)
            except UploadError as exc:
                problems.append(str(exc))
                continue
            added.append(up)
            taken.append(up.scenario.name)
        set_upload_error("\n".join(problems))
        if len(added) > len(uploads):
            set_uploads(tuple(added))
            new = [upload_label(u) for u in added[len(uploads):]]
            set_chosen([*chosen, *new])

    with PageFrame():
        with Main():
            CompareMain(running, progress, comparison)
        with Side(fold_label="Choose the scenarios and settings"):
            CompareControls(labels, chosen, set_chosen, baseline, set_baseline, replicates,
                            set_replicates, days, set_days, residents, set_residents,
                            seed_text, set_seed_text, start, running, error, estimate,
                            on_upload, upload_error)
            if uploads:
                YourFiles(uploads, set_uploads, chosen, set_chosen, folder, keep_in,
                          names_taken)


def upload_label(u: Upload) -> str:
    return f"{u.scenario.name} (uploaded {u.name})"


@solara.component
def YourFiles(uploads, set_uploads, chosen, set_chosen, folder, keep_in, names_taken):
    """The files brought by the user: edit one (checked again when kept) or remove it.

    Args:
        uploads, set_uploads: the checked uploads (a tuple of :class:`Upload`).
        chosen, set_chosen: the scenarios chosen for the next comparison.
        folder, keep_in: the scenarios folder (what uploads may extend) and the page's own.
        names_taken: ``names_taken(but=upload)`` -> names an edited file must not reuse.
    """
    editing, set_editing = solara.use_state(-1)
    text, set_text = solara.use_state("")
    problem, set_problem = solara.use_state("")

    def edit(i: int):
        set_editing(i)
        set_text(uploads[i].path.read_text(encoding="utf-8"))
        set_problem("")

    def keep():
        old = uploads[editing]
        try:
            new = check_upload(old.name, text.encode("utf-8"), folder, keep_in,
                               names_taken(but=old))
        except UploadError as exc:
            set_problem(str(exc))
            return
        replaced = list(uploads)
        replaced[editing] = new
        set_uploads(tuple(replaced))
        set_chosen([upload_label(new) if c == upload_label(old) else c for c in chosen])
        set_editing(-1)
        set_problem("")

    def remove(i: int):
        gone = upload_label(uploads[i])
        set_uploads(tuple(u for j, u in enumerate(uploads) if j != i))
        set_chosen([c for c in chosen if c != gone])
        set_editing(-1)

    with solara.Card("Your files", margin=0, classes=["compare-your-files"]):
        for i, u in enumerate(uploads):
            with solara.Row(style={"align-items": "center", "gap": "4px"}):
                with solara.Div(style={"flex": "1 1 auto", "min-width": "0"}):
                    ShortText(upload_label(u), style={"font-size": "13px"})
                solara.Button(icon_name="mdi-pencil", icon=True, text=True,
                              on_click=lambda i=i: edit(i), classes=["upload-edit"])
                solara.Button(icon_name="mdi-delete", icon=True, text=True,
                              on_click=lambda i=i: remove(i), classes=["upload-remove"])
        if 0 <= editing < len(uploads):
            solara.v.Textarea(v_model=text, on_v_model=set_text, rows=12, auto_grow=True,
                              class_="upload-text",
                              style_="font-family: monospace; font-size: 12px")
            with solara.Row(style={"gap": "6px"}):
                solara.Button("Check and keep", on_click=keep, color="primary",
                              classes=["upload-keep"])
                solara.Button("Cancel", text=True, on_click=lambda: set_editing(-1))
            if problem:
                solara.Error(problem, classes=["upload-problem"])


@solara.component
def CompareControls(labels, chosen, set_chosen, baseline, set_baseline, replicates,
                    set_replicates, days, set_days, residents, set_residents, seed_text,
                    set_seed_text, start, running, error, estimate, on_upload, upload_error):
    """The choices of a comparison, the upload of one's own scenario file, the time estimate
    and the Run button (arguments: the page's states and their setters)."""
    import ipywidgets as widgets

    with solara.Card("Compare scenarios", margin=0):
        with Tipped("Scenario files to run side by side: those in the scenarios folder "
                    "(including setups saved on the live page) and files you bring."):
            solara.SelectMultiple("Scenarios", values=[c for c in chosen if c in labels],
                                  all_values=labels, on_value=set_chosen,
                                  classes=["compare-scenarios"])
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
        n_picked = len([c for c in chosen if c in labels])
        runs = n_picked * int(replicates)
        if estimate.state == solara.ResultState.FINISHED:
            solara.Text(f"{runs} runs of {days} days at {residents:,} residents: "
                        f"{duration_words(estimate.value)} on this machine.",
                        classes=["compare-estimate"], style={"font-size": "13px"})
        else:
            solara.Text(f"{runs} runs: timing a few days on this machine ...",
                        classes=["ks-note"])
        solara.Button("Run comparison", icon_name="mdi-play", color="primary",
                      on_click=start, disabled=running, classes=["compare-run"])
        if error:
            solara.Error(error, classes=["compare-error"])
    with solara.Card("Bring your own scenario", margin=0):
        solara.Markdown("A `.toml` scenario file that **extends** one offered here (for "
                        "example `extends = \"baseline.toml\"`). It is checked like any "
                        "scenario file, and you can edit it here once it is in. Or design "
                        "one on the live page and save it there.",
                        style={"font-size": "13px"})
        widgets.FileUpload.element(accept=".toml", multiple=True, description="Upload .toml",
                                   on_value=on_upload, _dom_classes=["compare-upload"])
        if upload_error:
            solara.Error(upload_error, classes=["compare-upload-error"])


@solara.component
def CompareMain(running, progress, comparison):
    solara.Text("Compare scenarios", style={"font-size": "22px", "font-weight": "bold"})
    if running:
        done, total, stage = progress
        words = (f"Runs done; {stage} ..." if stage else
                 f"Running: {done} of {total} runs done")
        solara.Text(words, classes=["compare-progress"])
        solara.ProgressLinear(100.0 * done / total if total and not stage else True)
    if comparison is None:
        if not running:
            solara.Info("Choose scenarios, replicates and days (and bring your own file if "
                        "you like), then press Run comparison. The estimate under the "
                        "settings says how long it will take.")
        return
    ComparisonView(comparison, settled=not running)


@solara.component
def ComparisonView(comparison: Comparison, settled: bool = True):
    c = comparison
    runs = c.replicates * len(c.scenarios)
    took = f"{c.wall_s:.0f} s"
    if c.estimate_s:
        took += f" (estimated {duration_words(c.estimate_s)})"
    post = c.timings.get("post_processing",
                         c.timings.get("total", 0.0) - c.timings.get("runs", 0.0))
    solara.Text(f"{len(c.scenarios)} scenarios x {c.replicates} replicates x {c.days} days "
                f"({runs} runs, {took}: runs {c.timings.get('runs', 0):.0f} s, summaries, "
                f"charts and report {post:.0f} s); baseline: {c.baseline}; root seed "
                f"{c.seed}.", classes=["compare-done" if settled else "compare-previous"])
    if c.failures:
        solara.Warning(f"{len(c.failures)} runs failed and are left out: "
                       + "; ".join(f"{f.scenario} #{f.replicate}: {f.error}"
                                   for f in c.failures[:3]))
    with solara.Row(classes=["compare-downloads"], style={"flex-wrap": "wrap"}):
        if c.report is not None:
            solara.FileDownload(lambda: c.report.read_bytes(), filename="report.html",
                                label="The report (HTML)", mime_type="text/html")
        solara.FileDownload(c.zip_bytes, filename="comparison.zip",
                            label="Everything (zip)", mime_type="application/zip")
        for label, name, mime in (("Summary (CSV)", "summary.csv", "text/csv"),
                                  ("Daily values", "daily.csv", "text/csv")):
            path = c.file(name)
            if path is not None:
                solara.FileDownload(lambda p=path: p.read_bytes(), filename=path.name,
                                    label=label, mime_type=mime)
    solara.Text("The report (as report.html): what to fund for each outcome first, then the "
                "ranking, strain on helpers, costs, the effects chart and the charts.",
                style={"font-size": "13px"})
    solara.HTML(tag="div", unsafe_innerHTML=c.report_frame_html(),
                style={"max-width": "100%"}, classes=["compare-report-box"])
