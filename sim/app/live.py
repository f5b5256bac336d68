"""The live page: design a programme, run it day by day beside its baseline, see the
difference.

Layers:

- plain Python: :mod:`sim.app.draft` (the programme being designed, checked by the scenario
  loader), :mod:`sim.app.session` (a community and its ghost baseline, drawn as frames),
  :mod:`sim.app.runner` (stepping off the page's thread at a chosen speed);
- Solara components, here and in :mod:`sim.app.panel`: :func:`LivePage` composes the design
  column (:func:`DesignColumn`) and the view (:func:`LiveView`), which shows the runner's
  frames and is the only part that redraws while a run plays.

Changes in the design column wait, visibly, until "Apply and restart": the button is
highlighted while anything is pending and the header names the setup with its changes
("Baseline + 2 changes").
"""

from __future__ import annotations

import contextlib
import html
import os
from pathlib import Path

import solara

from sim.app.draft import Check, Draft
from sim.app.layout import NARROW_PX, Main, ShortText, Side, Tipped
from sim.app.layout import Frame as PageFrame
from sim.app.legend import SHADE_STATES, legend_html
from sim.app.panel import AddIntervention, AdvancedSettings, InterventionCard, SaveScenario
from sim.app.picture import Picture, Viewport
from sim.app.problems import PageProblem, ProblemPanel, first_usable, page_problems, scenario_label
from sim.app.runner import DEFAULT_SPEED, SPEEDS, Runner
from sim.app.session import Frame, LiveSession
from sim.metrics import REGISTRY
from sim.palette import ERROR_TEXT, WARNING_TEXT
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = "Built-in defaults (no file)"
DIFF_HEADS = ("Measure", "This setup", "Baseline", "Difference today", "Last 4 weeks")
VERDICT_STYLE = {"better": "background:#DCEBF7", "worse": "background:#FBE3D6",
                 "changed": "background:#EEEEEE", "same": "color:#555"}  # as report.html


# ---------------------------------------------------------------------------------------------
# Scenario files
# ---------------------------------------------------------------------------------------------


def scenarios_dir() -> Path:
    """The folder of scenario files the pickers offer (``KINDLINESS_SCENARIOS_DIR`` or
    ``scenarios/`` in the project)."""
    return Path(os.environ.get("KINDLINESS_SCENARIOS_DIR") or ROOT / "scenarios")


def list_scenarios(folder: Path | None = None) -> dict[str, Path | None]:
    """``{label: path}`` of the scenario files in ``folder`` (baseline first), or the built-in
    defaults when there are none."""
    folder = Path(folder) if folder is not None else scenarios_dir()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    files.sort(key=lambda p: (p.stem != "baseline", p.stem))
    found: dict[str, Path | None] = {_label_for(p): p for p in files}
    return found or {BUILT_IN: None}


def _label_for(path: Path) -> str:
    """A file's label: its scenario name if it can be read cheaply, and the file name."""
    return scenario_label(path)  # within the loader's limits (no FIFO, no /dev/zero)


def load_scenario_file(path: Path | None) -> Scenario:
    """The validated scenario in ``path`` (``ScenarioError`` lists every problem), or the
    built-in defaults for ``None``."""
    if path is None:
        return Scenario(name="Built-in defaults")
    from sim.scenario.loader import load_scenario

    return load_scenario(path)


def coerce_seed(text) -> int:
    """A seed from what the user typed: '42', ' 42 ', '42.0' -> 42; anything else is a
    ``ValueError`` that says what is allowed."""
    s = str(text).strip().replace(",", "").replace("_", "")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"seed {text!r} is not a whole number; type e.g. 42") from None
    if value != int(value) or value < 0 or value >= 2**63:
        raise ValueError(f"seed {text!r} must be a whole number from 0 to 2^63-1")
    return int(value)


def _load(path: Path | None) -> tuple[Scenario | None, list[PageProblem]]:
    """The scenario in ``path``, or why it cannot be used, as rows for a plain problem panel
    (file, key, problem; no server paths on the page)."""
    try:
        return load_scenario_file(path), []
    except Exception as exc:  # ScenarioError lists every problem; anything else in one line
        return None, page_problems(exc, scenarios_dir())


# ---------------------------------------------------------------------------------------------
# HTML pieces
# ---------------------------------------------------------------------------------------------


def resident_table_html(rows) -> str:
    cells = "".join(
        f"<tr><td style='padding:1px 8px 1px 0;color:#444'>{html.escape(k)}</td>"
        f"<td style='padding:1px 0'><b>{html.escape(v)}</b></td></tr>" for k, v in rows)
    return f"<table class='resident-state' style='font-size:13px'>{cells}</table>"


def _fmt(x: float, unit: str, signed: bool = False) -> str:
    if x != x:  # NaN
        return "n/a"
    if unit == "people":
        if signed:
            return f"{x:+.1f}".replace(".0", "")
        return f"{x:.0f} {'person' if round(x) == 1 else 'people'}"
    return (f"{x:+.1f} points" if signed else f"{x:.1f}%")


def differences_html(frame: Frame) -> str:
    """The running difference from the baseline, one row per charted measure."""
    if not frame.has_ghost:
        return ("<p class='live-differences ks-note'>This setup has no interventions, so there "
                "is no baseline to compare with: add one in the panel.</p>")
    rows = []
    for d in frame.differences:
        style = VERDICT_STYLE.get(d.verdict, "")
        cells = [(d.label, "", ""), (_fmt(d.value, d.unit), "num", ""),
                 (_fmt(d.baseline, d.unit), "num", ""),
                 (_fmt(d.diff, d.unit, True), "num", style),
                 (_fmt(d.recent_diff, d.unit, True), "num", style)]
        rows.append("<tr>" + "".join(
            f"<td class='{cls}' style='{css}' data-label='{head}'>{html.escape(text)}</td>"
            for (text, cls, css), head in zip(cells, DIFF_HEADS, strict=True)) + "</tr>")
    heads = "".join(f"<th>{h}</th>" for h in DIFF_HEADS)
    return (f"<table class='ks-table ks-stack live-differences'><tr>{heads}</tr>"
            f"{''.join(rows)}</table><p class='ks-note'>Baseline: the same community with "
            "no interventions, same seed, run beside this one. One run: chance alone moves "
            "these numbers by a little; the compare page gives intervals over many runs. "
            "Blue: better, orange: worse, by at least 1 point or 1 person over the last four "
            "weeks.</p>")


def _metric_help() -> str:
    names = ("trust_in_group", "trust_out_group", "help_seeking_rate", "unmet_need",
             "loneliness_share", "helper_strain", "strained_per_1000", "burnout_per_1000",
             "resentment_share")
    items = "".join(f"<li><b>{html.escape(REGISTRY[n].label)}</b>: "
                    f"{html.escape(REGISTRY[n].doc)}</li>" for n in names if n in REGISTRY)
    return f"<ul style='font-size:12px;padding-left:16px;margin:0'>{items}</ul>"


# ---------------------------------------------------------------------------------------------
# The view: what a run shows (redrawn with every frame)
# ---------------------------------------------------------------------------------------------


@solara.component
def LiveView(runner: Runner, pending: bool, blocked: str = ""):
    """The header, the run controls, the network, the charts, the differences and the picked
    resident, from the runner's frames.

    Args:
        runner: the page's worker (it calls back with frames, status and stops).
        pending: whether the design column has changes not yet applied.
        blocked: why nothing can run yet (the chosen file does not load), or "".
    """
    frame, set_frame = solara.use_state(None)
    status, set_status = solara.use_state("Building the community ...")
    stopped, set_stopped = solara.use_state("")
    playing, set_playing = solara.use_state(False)
    speed, set_speed = solara.use_state(DEFAULT_SPEED)
    shade, set_shade = solara.use_state("trust_out")
    picked_text, set_picked_text = solara.use_state("0")

    def connect():
        def publish(f: Frame):
            set_frame(f)
            set_status("")

        def on_stop(message: str):
            set_playing(False)
            set_stopped(message)

        runner.publish, runner.status, runner.on_stop = publish, set_status, on_stop
        if runner.latest is not None:
            publish(runner.latest)

    solara.use_effect(connect, [runner])

    def toggle_play():
        if playing:
            runner.pause()
        else:
            set_stopped("")
            runner.play()
        set_playing(not playing)

    def on_speed(label: str):
        set_speed(label)
        runner.set_speed(SPEEDS[label])

    def on_shade(label: str):
        name = next(s.name for s in SHADE_STATES.values() if s.label == label)
        set_shade(name)
        runner.redraw(shade=name)

    def pick(x: float, y: float):
        i = runner.resident_at(x, y)
        if i is not None:
            set_picked_text(str(i))
            runner.redraw(selected=i)

    def type_resident(text: str):
        set_picked_text(text)
        with contextlib.suppress(ValueError):
            runner.redraw(selected=int(str(text).strip()))

    Viewport.element(on_width=lambda w: runner.set_narrow(0 < w <= NARROW_PX))
    with solara.Div(classes=["live-head"]):
        if frame is None and blocked:
            solara.Warning(f"Nothing to run yet: {blocked}", classes=["live-blocked"])
            return
        if frame is None:
            solara.Text(status or "Building the community ...", classes=["live-status"])
            solara.ProgressLinear(True)
            return
        with solara.Row(style={"align-items": "baseline", "gap": "8px 16px",
                               "flex-wrap": "wrap"}):
            solara.Text(f"Day {frame.day}", classes=["day-counter"],
                        style={"font-size": "22px", "font-weight": "bold"})
            with solara.Div(style={"min-width": "0", "flex": "1 1 260px"}):
                ShortText(frame.label, classes=["live-header"],
                          style={"font-size": "18px", "font-weight": "500"})
                ShortText(f"{frame.n_residents:,} residents, seed {frame.seed}, "
                          f"run of {frame.run_days} days", classes=["live-community"],
                          style={"color": "#444", "font-size": "13px"})
        if pending:
            solara.Text("Changes in the panel are not applied yet: press Apply and restart.",
                        classes=["live-pending-note"],
                        style={"color": WARNING_TEXT, "font-size": "13px"})
        if frame.interventions:
            solara.Text("Interventions: " + "; ".join(frame.interventions),
                        classes=["live-interventions"], style={"font-size": "13px"})
    with solara.Row(classes=["live-run"], style={"flex-wrap": "wrap", "gap": "6px",
                                                 "align-items": "center",
                                                 "margin": "6px 0"}):
        solara.Button("Pause" if playing else "Play",
                      icon_name="mdi-pause" if playing else "mdi-play",
                      on_click=toggle_play, color="primary", classes=["live-play"])
        solara.Button("Step", icon_name="mdi-skip-next", on_click=lambda: runner.step(1),
                      disabled=playing, classes=["live-step"])
        solara.Button("+7 days", on_click=lambda: runner.step(7), disabled=playing,
                      text=True, classes=["live-week"])
        solara.Button("+30 days", on_click=lambda: runner.step(30), disabled=playing,
                      text=True, classes=["live-month"])
        with solara.Div(style={"width": "190px"}), Tipped(
                "How fast Play runs, in simulated days a second; the pictures skip days "
                "when drawing every one would slow the run."):
            solara.Select("Speed", values=list(SPEEDS), value=speed, on_value=on_speed,
                          classes=["live-speed"])
    if status:
        solara.Text(status, classes=["live-status"], style={"color": WARNING_TEXT})
        solara.ProgressLinear(True)
    if stopped:
        solara.Text(stopped, classes=["live-stopped"], style={"font-size": "13px"})
    with solara.Div(classes=["ks-grid"]):
        with solara.Div(classes=["live-network-cell"]):
            with Tipped("Dot size shows this state for every resident."):
                solara.Select("Dot size shows",
                              values=[s.label for s in SHADE_STATES.values()],
                              value=SHADE_STATES[shade].label, on_value=on_shade)
            Picture(frame.network_png, on_pick=pick, classes=["live-network"])
            solara.HTML(tag="div", unsafe_innerHTML=legend_html())
            solara.Text("Click a dot to see that resident below.", classes=["ks-note"])
        with solara.Div(classes=["live-charts-cell"]):
            Picture(frame.charts_png, classes=["live-charts"])
            solara.HTML(tag="div", unsafe_innerHTML=differences_html(frame))
    with solara.Div(classes=["ks-grid"]):
        with solara.Card("A resident", margin=0):
            with Tipped(f"Type a resident's number (0 to {frame.n_residents - 1}) or click "
                        "a dot; they are ringed in red in the drawing."):
                solara.InputText("Resident number", value=picked_text,
                                 on_value=type_resident, continuous_update=False)
            if frame.resident:
                solara.HTML(tag="div", unsafe_innerHTML=resident_table_html(frame.resident))
            else:
                solara.Warning(f"No resident {picked_text}: choose 0 to "
                               f"{frame.n_residents - 1}.")
        with solara.Card("What the charts show", margin=0):
            solara.HTML(tag="div", unsafe_innerHTML=_metric_help())


# ---------------------------------------------------------------------------------------------
# The design column
# ---------------------------------------------------------------------------------------------


@solara.component
def DesignColumn(labels: list[str], picked: str, on_pick, load_error: list, draft: Draft | None,
                 set_draft, check: Check | None, seed_text: str, set_seed_text, pending: bool,
                 apply, seed_error: str, folder: Path, on_saved,
                 file_scenario: Scenario | None = None):
    """The scenario picker, the intervention panel, the model settings and the seed, with
    "Apply and restart" and "Save".

    Args:
        labels, picked, on_pick: the scenario files offered and the one chosen.
        load_error: why the chosen file cannot be used (PageProblem rows; [] when it can).
        draft, set_draft: the programme being designed (None when the file is broken).
        check: the loader's verdict on the draft.
        seed_text, set_seed_text, seed_error: the seed as typed, and what is wrong with it.
        pending: whether anything differs from the running setup.
        apply: restart with the draft and seed.
        folder, on_saved: where "Save" writes, and what to do after.
        file_scenario: the chosen file's own scenario (names and units while the draft
            does not load).
    """
    from sim.scenario.loader import intervention_registry

    registry = solara.use_memo(intervention_registry, [])
    with solara.Card("Programme", margin=0, classes=["design-card"]):
        with Tipped("Scenario files in the scenarios folder: the community and the "
                    "interventions to start from. Your changes below apply to it."):
            solara.Select("Start from", values=labels, value=picked, on_value=on_pick,
                          classes=["live-scenario"])
        ShortText(picked, style={"font-size": "12px", "color": "#555"})
        if load_error:
            ProblemPanel(load_error, classes=["live-error"])
            return
        base_scenario = (check.scenario if check is not None and check.scenario is not None
                         else file_scenario or load_scenario_file(draft.path))
        general = check.general(["interventions", "population", "network", "rules"]) \
            if check else []
        for message in general:
            solara.Error(message, classes=["live-error"])
        with solara.Div(style={"margin-top": "8px"}):
            solara.HTML(tag="div", unsafe_innerHTML="<b>Interventions</b>" + (
                "" if draft.items else " <span class='ks-note'>none: this is the community "
                "as it is</span>"))
        for i in range(len(draft.items)):
            InterventionCard(i, draft, set_draft, check, base_scenario, registry)
        AddIntervention(draft, set_draft, registry)
        AdvancedSettings(draft, set_draft, base_scenario, check)
        with Tipped("Runs with the same seed and settings are identical; change it to see "
                    "another community drawn from the same scenario."):
            solara.InputText("Seed (a whole number)", value=seed_text,
                             on_value=set_seed_text, continuous_update=True,
                             error=seed_error or False)
        n_errors = len(check.errors) if check else 0
        if n_errors:
            solara.Text(f"{n_errors} problem{'s' if n_errors > 1 else ''} to fix before "
                        "applying (shown in red above).", style={"color": ERROR_TEXT,
                                                                 "font-size": "13px"})
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}):
            solara.Button("Apply and restart", icon_name="mdi-restart", on_click=apply,
                          color="primary" if pending else None,
                          disabled=bool(n_errors) or bool(seed_error),
                          classes=["live-apply"] + (["ks-pending"] if pending else []))
            solara.Button("Discard changes", text=True, disabled=not draft.changes(registry),
                          on_click=lambda: set_draft(draft.reset()), classes=["live-discard"])
        changes = draft.changes(registry)
        if changes:
            with solara.Details(f"{draft.header(registry)}: what changed", expand=False):
                solara.HTML(tag="ul", unsafe_innerHTML="".join(
                    f"<li>{html.escape(c)}</li>" for c in changes),
                    style={"font-size": "12px", "padding-left": "16px"})
        if check is not None and check.scenario is not None:
            SaveScenario(draft, folder, on_saved)


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


@solara.component
def LivePage():
    version, set_version = solara.use_state(0)  # bumped when a file is saved: list again
    folder = scenarios_dir()
    choices = solara.use_memo(lambda: list_scenarios(folder), [version])
    # the first file that loads; the problems of broken ones before it are shown once
    start = solara.use_memo(lambda: first_usable(choices, load_scenario_file, folder), [])
    if start[0] is None and BUILT_IN not in choices:  # nothing loads: the built-in defaults
        choices = {BUILT_IN: None, **choices}
    labels = list(choices)
    picked, set_picked = solara.use_state(start[0] or BUILT_IN)
    if picked not in choices:
        picked = labels[0]
    skipped, set_skipped = solara.use_state(start[2])  # PageProblem rows of files passed over
    loaded = solara.use_memo(lambda: _load(choices[picked]), [picked, version])
    scenario, load_error = loaded
    draft, set_draft = solara.use_state(Draft.of(scenario) if scenario else None)
    if scenario is not None and (draft is None or draft.path != (
            Path(scenario.path) if scenario.path else None)):
        draft = Draft.of(scenario)
    seed_text, set_seed_text = solara.use_state(str(scenario.run.seed) if scenario else "0")
    applied, set_applied = solara.use_state(None)  # (draft, seed) of the running setup
    check = solara.use_memo(lambda: draft.check() if draft is not None else None, [draft])
    runner = solara.use_memo(lambda: Runner(lambda _f: None), [])

    def close():
        return runner.close

    solara.use_effect(close, [runner])

    try:
        seed = coerce_seed(seed_text)
        seed_error = ""
    except ValueError as exc:
        seed, seed_error = None, str(exc)

    def start(d: Draft, c: Check, s: int):
        label = d.header()
        runner.load(lambda: LiveSession(c.scenario, s, label=label))
        set_applied((d, s))

    def first():
        if applied is None and check is not None and check.scenario is not None \
                and seed is not None:
            start(draft, check, seed)

    solara.use_effect(first, [])

    def on_pick(label: str):
        set_picked(label)
        set_skipped([])
        new, _ = _load(choices[label])
        if new is not None:
            set_draft(Draft.of(new))
            set_seed_text(str(new.run.seed))

    def apply():
        if check is None or check.scenario is None or seed is None:
            return
        start(draft, check, seed)

    pending = applied is None or applied != (draft, seed)
    with PageFrame():
        with Main():
            LiveView(runner, pending and applied is not None,
                      "" if applied is not None else (
                          "the scenario file chosen in the panel does not load; choose "
                          "another or fix it (the panel says what is wrong)." if load_error
                          else ""))
        with Side(fold_label="Design the programme (scenario, interventions, settings)"):
            if skipped:
                ProblemPanel(skipped, title="These scenario files cannot be used; the page "
                             "starts from the first one that can:", classes=["live-skipped"])
            DesignColumn(labels, picked, on_pick, load_error, draft, set_draft, check,
                         seed_text, set_seed_text, pending, apply, seed_error, folder,
                         lambda _p: set_version(version + 1),
                         scenario if draft is not None and scenario is not None and
                         draft.path == (Path(scenario.path) if scenario.path else None)
                         else None)
